// files.* and changes.* of Drive v3: list, get (metadata or alt=media with Range), export, create
// (metadata only), update (metadata), delete, generateIds.
import express, { type Request, type Response, type Router } from 'express';
import type { Faults } from '../common/faults';
import { sendDownload } from '../common/faults';
import { badRequest, driveError, notFound } from './errors';
import { EXPORT_FORMATS, EXPORT_LIMIT_BYTES, exportContent } from './natives';
import { compileOrder, compileQuery } from './query';
import { selectFile, selectList } from './resource';
import { type DriveStore, NATIVE_PREFIX, newId } from './store';
import { applyMetadata, type FileMetadata } from './metadata';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface PageState {
  q: string;
  o: string;
  n: number;
}

function listFiles(store: DriveStore, req: Request, res: Response): void {
  const q = str(req.query.q) ?? '';
  const orderBy = str(req.query.orderBy) ?? '';
  const pageSize = Number(str(req.query.pageSize) ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    return badRequest(
      res,
      `Invalid value '${String(req.query.pageSize)}'. Values must be within the range: [1, 1000]`,
      'pageSize',
    );
  }
  let offset = 0;
  const token = str(req.query.pageToken);
  if (token) {
    const state = decodePage(token);
    if (!state || state.q !== q || state.o !== orderBy) return badRequest(res, 'Invalid Value', 'pageToken');
    offset = state.n;
  }
  const parent = /'([^']+)' in parents/.exec(q)?.[1];
  if (parent && store.get(parent)?.unreadable) {
    return driveError(
      res,
      403,
      'insufficientFilePermissions',
      'The user does not have sufficient permissions for this file.',
    );
  }
  let matches;
  try {
    const pred = compileQuery(q, (id) => store.resolveId(id));
    const order = compileOrder(orderBy || undefined);
    matches = [...store.files.values()].filter((f) => f.id !== store.rootId && pred(f)).sort(order);
  } catch {
    return badRequest(res, 'Invalid Value', q ? 'q' : 'orderBy');
  }
  const page = matches.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false };
  if (offset + pageSize < matches.length) {
    const next: PageState = { q, o: orderBy, n: offset + pageSize };
    body.nextPageToken = Buffer.from(JSON.stringify(next)).toString('base64url');
  }
  body.files = page.map((f) => selectFile(f, '*'));
  res.json(
    selectList(body, req.query.fields, 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)'),
  );
}

function decodePage(token: string): PageState | null {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
    return typeof s.n === 'number' && typeof s.q === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** Parses "bytes=a-b" / "bytes=a-" / "bytes=-n" against `size`; null when absent. */
export function parseRange(header: string | undefined, size: number): [number, number] | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return 'invalid';
  let start: number;
  let end: number;
  if (!m[1]) {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  }
  return start > end || start >= size ? 'invalid' : [start, end];
}

function download(store: DriveStore, faults: Faults, req: Request, res: Response): void {
  const f = store.get(String(req.params.id))!;
  if (!f.content || f.mimeType.startsWith(NATIVE_PREFIX)) {
    return driveError(
      res,
      403,
      'fileNotDownloadable',
      'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
      { location: 'alt', locationType: 'parameter' },
    );
  }
  const size = f.content.length;
  const range = parseRange(req.headers.range, size);
  if (range === 'invalid') {
    res.setHeader('Content-Range', `bytes */${size}`);
    return driveError(res, 416, 'requestedRangeNotSatisfiable', 'Request range not satisfiable');
  }
  const [start, end] = range ?? [0, size - 1];
  const body = f.content.subarray(start, end + 1);
  res.status(range ? 206 : 200);
  res.setHeader('Content-Type', f.mimeType);
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Accept-Ranges', 'bytes');
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  sendDownload(res, body, faults);
}

function exportFile(store: DriveStore, faults: Faults, req: Request, res: Response): void {
  const f = store.get(String(req.params.id));
  if (!f) return notFound(res, String(req.params.id));
  const mimeType = str(req.query.mimeType);
  if (!mimeType)
    return driveError(res, 400, 'required', 'Required parameter: mimeType', {
      location: 'mimeType',
      locationType: 'parameter',
    });
  const formats = EXPORT_FORMATS[f.mimeType];
  if (!formats) return driveError(res, 403, 'fileNotExportable', 'Export only supports Docs Editors files.');
  if (!formats.includes(mimeType))
    return badRequest(res, 'The requested conversion is not supported.', 'convertTo');
  if ((f.exportSize ?? 0) > EXPORT_LIMIT_BYTES) {
    return driveError(res, 403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
  }
  const body = exportContent(f, mimeType);
  res.setHeader('Content-Type', mimeType);
  res.setHeader('Content-Length', String(body.length));
  sendDownload(res, body, faults);
}

export function filesRouter(store: DriveStore, faults: Faults): Router {
  const r = express.Router();
  r.get('/drive/v3/files', (req, res) => listFiles(store, req, res));
  r.get('/drive/v3/files/generateIds', (req, res) => {
    const count = Number(str(req.query.count) ?? 10);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      return badRequest(res, 'Invalid Value', 'count');
    const ids = Array.from({ length: count }, newId);
    for (const id of ids) store.generatedIds.add(id);
    res.json({ kind: 'drive#generatedIds', space: 'drive', ids });
  });
  r.get('/drive/v3/files/:id/export', (req, res) => exportFile(store, faults, req, res));
  r.get('/drive/v3/files/:id', (req, res) => {
    const f = store.get(String(req.params.id));
    if (!f) return notFound(res, String(req.params.id));
    if (req.query.alt === 'media') return download(store, faults, req, res);
    res.json(selectFile(f, req.query.fields));
  });
  r.post('/drive/v3/files', express.json(), (req, res) => {
    const created = applyMetadata(store, res, (req.body ?? {}) as FileMetadata, null, Buffer.alloc(0));
    if (created) res.json(selectFile(created, req.query.fields));
  });
  r.patch('/drive/v3/files/:id', express.json(), (req, res) => {
    const f = store.get(String(req.params.id));
    if (!f) return notFound(res, String(req.params.id));
    const body = (req.body ?? {}) as FileMetadata;
    if (typeof body.name === 'string') f.name = body.name;
    if (body.trashed !== undefined) f.trashed = Boolean(body.trashed);
    const add = str(req.query.addParents)?.split(',').filter(Boolean) ?? [];
    const remove = str(req.query.removeParents)?.split(',').filter(Boolean) ?? [];
    for (const p of add.map((id) => store.resolveId(id))) {
      if (!store.get(p)) return notFound(res, p);
      if (store.isWithin(p, f.id))
        return badRequest(res, 'A folder cannot be moved into itself or its descendants.');
    }
    f.parents = [
      ...f.parents.filter((p) => !remove.map((id) => store.resolveId(id)).includes(p)),
      ...add.map((id) => store.resolveId(id)),
    ];
    f.modifiedTime = typeof body.modifiedTime === 'string' ? body.modifiedTime : new Date().toISOString();
    store.record(f.id, false);
    res.json(selectFile(f, req.query.fields));
  });
  r.delete('/drive/v3/files/:id', (req, res) => {
    const f = store.get(String(req.params.id));
    if (!f || f.id === store.rootId) return notFound(res, String(req.params.id));
    store.delete(f.id);
    res.status(204).end();
  });
  r.get(
    '/drive/v3/changes/startPageToken',
    (_req, res) =>
      void res.json({ kind: 'drive#startPageToken', startPageToken: String(store.changes.length + 1) }),
  );
  r.get('/drive/v3/changes', (req, res) => {
    const from = Number(str(req.query.pageToken));
    if (!Number.isInteger(from) || from < 1) return badRequest(res, 'Invalid Value', 'pageToken');
    const pageSize = Math.min(1000, Number(str(req.query.pageSize) ?? 100) || 100);
    const slice = store.changes.slice(from - 1, from - 1 + pageSize);
    const next = from + slice.length;
    // Like Drive, a page shows each changed file once, in its latest state.
    const latest = slice.filter((c, i) => !slice.slice(i + 1).some((d) => d.fileId === c.fileId));
    const changes = latest.map((c) => {
      const f = store.files.get(c.fileId);
      return {
        kind: 'drive#change',
        changeType: 'file',
        fileId: c.fileId,
        removed: c.removed || !f,
        time: c.time,
        ...(f && !c.removed ? { file: selectFile(f, '*') } : {}),
      };
    });
    const body: Record<string, unknown> = { kind: 'drive#changeList', changes };
    if (next <= store.changes.length) body.nextPageToken = String(next);
    else body.newStartPageToken = String(next);
    res.json(selectList(body, req.query.fields, 'kind,nextPageToken,newStartPageToken,changes'));
  });
  return r;
}
