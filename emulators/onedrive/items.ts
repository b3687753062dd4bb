// /v1.0/me/drive/…: driveItem metadata by id or path, children with @odata.nextLink paging, /content
// (302 to the pre-authenticated download URL; PUT = simple upload), folder creation, delete,
// createUploadSession and the delta feed.
import express, { type Request, type Response, type Router } from 'express';
import { type Address, parseAddress, placementProblem } from './address';
import { deltaHandler } from './delta';
import { graphError, invalidRequest, itemNotFound, nameAlreadyExists } from './errors';
import { driveItem } from './resource';
import type { DriveItem, OneDriveStore } from './store';
import { conflictBehaviorOf, createUploadSession, renamed, type UploadSessionState } from './upload';

const PREFIX = '/v1.0/me/drive';
const DEFAULT_TOP = 200;
const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;

interface Target {
  /** The addressed item, if it exists. */
  item?: DriveItem;
  /** Its parent folder and name, when addressed by a path (for creation). */
  parent?: DriveItem;
  name?: string;
}

function resolve(store: OneDriveStore, a: Address): Target | null {
  const base = store.get(a.base);
  if (!base) return null;
  if (a.segments.length === 0) return { item: base };
  const parent = store.walk(base, a.segments.slice(0, -1));
  if (!parent?.folder) return null;
  const name = a.segments[a.segments.length - 1]!;
  return { item: store.child(parent.id, name), parent, name };
}

function listChildren(store: OneDriveStore, req: Request, res: Response, folder: DriveItem): void {
  if (!folder.folder) return invalidRequest(res, 'The item is not a folder.');
  const top = req.query.$top === undefined ? DEFAULT_TOP : Number(req.query.$top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) return invalidRequest(res, 'Invalid $top value.');
  const sorted = store
    .children(folder.id)
    .map((i) => ({ i, key: i.name.toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let from = 0;
  const skip = req.query.$skiptoken;
  if (skip !== undefined) {
    let after: string;
    try {
      after = Buffer.from(String(skip), 'base64url').toString('utf8');
    } catch {
      return invalidRequest(res, 'Invalid $skiptoken.');
    }
    from = sorted.findIndex((x) => x.key > after);
    if (from < 0) from = sorted.length;
  }
  const page = sorted.slice(from, from + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${origin(req)}/v1.0/$metadata#users('me')/drive/items('${folder.id}')/children`,
    value: page.map((x) => driveItem(store, x.i, origin(req))),
  };
  if (from + top < sorted.length) {
    const token = Buffer.from(page[page.length - 1]!.key).toString('base64url');
    body['@odata.nextLink'] =
      `${origin(req)}${PREFIX}/items/${encodeURIComponent(folder.id)}/children?$top=${top}&$skiptoken=${token}`;
  }
  res.json(body);
}

function createFolder(store: OneDriveStore, req: Request, res: Response, parent: DriveItem): void {
  if (!parent.folder) return invalidRequest(res, 'The parent is not a folder.');
  const body = (req.body ?? {}) as Record<string, unknown>;
  const name = typeof body.name === 'string' ? body.name : '';
  if (!body.folder) return invalidRequest(res, 'Only folders can be created this way (a "folder" facet).');
  const problem = placementProblem(store.pathOf(parent), name);
  if (problem) return invalidRequest(res, problem);
  const behavior = conflictBehaviorOf(
    body['@microsoft.graph.conflictBehavior'] ?? req.query['@microsoft.graph.conflictBehavior'],
    'fail',
  );
  const existing = store.child(parent.id, name);
  if (existing && behavior === 'fail') return nameAlreadyExists(res);
  if (existing && behavior === 'replace') {
    if (!existing.folder) store.delete(existing.id);
    else return void res.status(200).json(driveItem(store, existing, origin(req)));
  }
  const finalName = existing && behavior === 'rename' ? renamed(store, parent.id, name) : name;
  res.status(201).json(driveItem(store, store.createFolder(parent.id, finalName), origin(req)));
}

function simpleUpload(store: OneDriveStore, req: Request, res: Response, t: Target): void {
  const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const behavior = conflictBehaviorOf(req.query['@microsoft.graph.conflictBehavior'], 'replace');
  if (t.item) {
    if (t.item.folder) return nameAlreadyExists(res);
    if (t.parent && behavior === 'fail') return nameAlreadyExists(res);
    if (!(t.parent && behavior === 'rename')) {
      store.setContent(t.item, content);
      return void res.status(200).json(driveItem(store, t.item, origin(req)));
    }
  }
  if (!t.parent || !t.name) return itemNotFound(res);
  const problem = placementProblem(store.pathOf(t.parent), t.name);
  if (problem) return invalidRequest(res, problem);
  const name = t.item ? renamed(store, t.parent.id, t.name) : t.name;
  res.status(201).json(driveItem(store, store.createFile(t.parent.id, name, content), origin(req)));
}

export function itemsRouter(store: OneDriveStore, sessions: Map<string, UploadSessionState>): Router {
  const r = express.Router();
  const json = express.json();
  const raw = express.raw({ type: () => true, limit: '250mb' });
  // File bytes are never parsed as JSON, whatever Content-Type they come with.
  r.use(PREFIX, (req, res, next) => (/\/content\/?$/.test(req.path) ? raw : json)(req, res, next));
  r.use(PREFIX, (req, res) => {
    const a = parseAddress(req.path);
    if (!a) return invalidRequest(res, `Invalid request: ${req.method} ${req.originalUrl}`);
    const t = resolve(store, a);
    if (!t) return itemNotFound(res);
    const m = req.method;
    if (a.action === 'content' && m === 'PUT') return simpleUpload(store, req, res, t);
    if (a.action === 'createUploadSession' && m === 'POST') {
      if (t.parent && t.name) return createUploadSession(store, sessions, req, res, t.parent, t.name);
      if (t.item && !t.item.folder && t.item.parentId) {
        const parent = store.get(t.item.parentId)!;
        return createUploadSession(store, sessions, req, res, parent, t.item.name);
      }
      return invalidRequest(res, 'Address the new file as {parent}:/{name}: or an existing file by id.');
    }
    const item = t.item;
    if (!item) return itemNotFound(res);
    if (a.action === null && m === 'GET') return void res.json(driveItem(store, item, origin(req)));
    if (a.action === null && m === 'DELETE') {
      if (item.parentId === null) return graphError(res, 403, 'accessDenied', 'The root cannot be deleted.');
      store.delete(item.id);
      return void res.status(204).end();
    }
    if (a.action === 'children' && m === 'GET') return listChildren(store, req, res, item);
    if (a.action === 'children' && m === 'POST') return createFolder(store, req, res, item);
    if (a.action === 'content' && m === 'GET') {
      if (item.folder) return itemNotFound(res);
      const target = driveItem(store, item, origin(req))['@microsoft.graph.downloadUrl'] as string;
      return void res.redirect(302, target);
    }
    if (a.action === 'delta' && m === 'GET' && item.parentId === null) return deltaHandler(store, req, res);
    graphError(res, 405, 'invalidRequest', `${m} is not supported on this resource.`);
  });
  return r;
}
