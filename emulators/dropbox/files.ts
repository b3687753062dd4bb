// The RPC endpoints on the api host: list_folder (+ continue, get_latest_cursor), get_metadata,
// create_folder_v2, delete_v2. Arguments come as a JSON body.
import express, { type Request, type Response, type Router } from 'express';
import { type CursorState, decodeCursor, encodeCursor } from './cursor';
import { badInput, conflict, endpointError, notFound } from './errors';
import { argPath, deletedOf, metadataOf, structOf } from './metadata';
import { type DropboxStore, lower } from './store';

type Args = Record<string, unknown>;
const argsOf = (req: Request): Args => (req.body && typeof req.body === 'object' ? (req.body as Args) : {});

function listingPage(store: DropboxStore, c: CursorState) {
  if (c.o >= 0) {
    const all = store.under(c.p, c.r);
    // A recursive listing of a folder other than the root includes the folder itself, as Dropbox does.
    const self = c.r && c.p ? store.get(c.p) : undefined;
    const items = self ? [self, ...all] : all;
    const slice = items.slice(c.o, c.o + c.l);
    const done = c.o + slice.length >= items.length;
    const next: CursorState = done ? { ...c, o: -1 } : { ...c, o: c.o + slice.length };
    return { entries: slice.map(metadataOf), cursor: encodeCursor(next), has_more: !done };
  }
  // Following changes: the latest state of each path changed since the cursor, oldest change first.
  const prefix = `${c.p}/`;
  const inScope = (p: string) => p.startsWith(prefix) && (c.r || !p.slice(prefix.length).includes('/'));
  const latest = new Map<string, (typeof store.changes)[number]>();
  for (const ch of store.changes) if (ch.seq > c.s && inScope(ch.pathLower)) latest.set(ch.pathLower, ch);
  const ordered = [...latest.values()].sort((a, b) => a.seq - b.seq);
  const slice = ordered.slice(0, c.l);
  const hasMore = ordered.length > slice.length;
  const s = hasMore ? slice[slice.length - 1]!.seq : store.seq;
  return {
    entries: slice.map((ch) => (ch.node ? metadataOf(ch.node) : deletedOf(ch.pathLower, ch.pathDisplay))),
    cursor: encodeCursor({ ...c, s }),
    has_more: hasMore,
  };
}

function startCursor(req: Request, res: Response, store: DropboxStore, endpoint: string): CursorState | null {
  const args = argsOf(req);
  const path = argPath(res, store, args.path, { allowRoot: true });
  if (path === null) return null;
  const limit = args.limit === undefined ? 2000 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 2000) {
    badInput(res, endpoint, 'request body: limit: value outside range [1, 2000]');
    return null;
  }
  if (path) {
    const node = store.get(path);
    if (node?.tag !== 'folder') {
      endpointError(res, node ? { '.tag': 'path', path: { '.tag': 'not_folder' } } : notFound());
      return null;
    }
  }
  return { p: lower(path), r: args.recursive === true, l: limit, s: store.seq, o: 0 };
}

export function filesRouter(store: DropboxStore): Router {
  const r = express.Router();
  r.use('/2/files', express.json({ limit: '1mb', type: () => true }));

  r.post('/2/files/list_folder', (req, res) => {
    const c = startCursor(req, res, store, 'files/list_folder');
    if (c) res.json(listingPage(store, c));
  });

  r.post('/2/files/list_folder/continue', (req, res) => {
    const c = decodeCursor(argsOf(req).cursor);
    if (!c) return badInput(res, 'files/list_folder/continue', 'request body: cursor: invalid');
    // A cursor whose folder has gone answers `reset`: the client must list again from the start.
    if (c.p && store.get(c.p)?.tag !== 'folder') return endpointError(res, { '.tag': 'reset' });
    res.json(listingPage(store, c));
  });

  r.post('/2/files/list_folder/get_latest_cursor', (req, res) => {
    const c = startCursor(req, res, store, 'files/list_folder/get_latest_cursor');
    if (c) res.json({ cursor: encodeCursor({ ...c, o: -1 }) });
  });

  r.post('/2/files/get_metadata', (req, res) => {
    const raw = argsOf(req).path;
    if (raw === '' || raw === '/') {
      return badInput(res, 'files/get_metadata', 'request body: path: The root folder is unsupported.');
    }
    const path = argPath(res, store, raw);
    if (path === null) return;
    const node = store.get(path);
    if (!node) return endpointError(res, notFound());
    res.json(metadataOf(node));
  });

  r.post('/2/files/create_folder_v2', (req, res) => {
    const path = argPath(res, store, argsOf(req).path);
    if (path === null) return;
    const existing = store.get(path) ?? store.fileAncestor(path);
    if (existing) return endpointError(res, conflict(existing.tag));
    res.json({ metadata: structOf(store.createFolder(path)) });
  });

  r.post('/2/files/delete_v2', (req, res) => {
    const path = argPath(res, store, argsOf(req).path, { member: 'path_lookup' });
    if (path === null) return;
    const node = store.delete(path);
    if (!node) return endpointError(res, notFound('path_lookup'));
    res.json({ metadata: metadataOf(node) });
  });

  return r;
}
