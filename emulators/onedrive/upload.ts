// Resumable uploads as Graph runs them: createUploadSession answers an uploadUrl (its own credential:
// a request carrying Authorization is refused), fragments are PUT in order with Content-Range, each a
// multiple of 320 KiB except the last and under 60 MiB; 202 + nextExpectedRanges until the last one,
// which answers 201 (new) or 200 (replaced) with the driveItem, or 409 nameAlreadyExists under
// conflictBehavior "fail". GET on the uploadUrl reports the status, DELETE cancels it.
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { corruptUpload } from '../common/faults';
import { placementProblem } from './address';
import { graphError, invalidRequest, itemNotFound, nameAlreadyExists } from './errors';
import { driveItem } from './resource';
import type { DriveItem, OneDriveStore } from './store';

export const FRAGMENT_UNIT = 320 * 1024;
export const MAX_FRAGMENT = 60 * 1024 * 1024;
const SESSION_TTL_MS = 15 * 60_000;

export type ConflictBehavior = 'fail' | 'replace' | 'rename';

export interface UploadSessionState {
  id: string;
  parentId: string;
  name: string;
  conflictBehavior: ConflictBehavior;
  /** Declared by the first fragment's Content-Range (or the item's fileSize). */
  size: number | null;
  parts: Buffer[];
  received: number;
  expiresAt: number;
  modifiedAt?: string;
}

const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;
const expiry = (s: UploadSessionState) => new Date(s.expiresAt).toISOString();

export function conflictBehaviorOf(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  return value === 'fail' || value === 'replace' || value === 'rename' ? value : fallback;
}

/** A free name for conflictBehavior "rename": "name 1.ext", "name 2.ext", … */
export function renamed(store: OneDriveStore, parentId: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 1; ; i++) if (!store.child(parentId, `${stem} ${i}${ext}`)) return `${stem} ${i}${ext}`;
}

/** POST …/items/{parent}:/{name}:/createUploadSession */
export function createUploadSession(
  store: OneDriveStore,
  sessions: Map<string, UploadSessionState>,
  req: Request,
  res: Response,
  parent: DriveItem,
  name: string,
): void {
  const problem = placementProblem(store.pathOf(parent), name);
  if (problem) return invalidRequest(res, problem);
  const item = ((req.body ?? {}) as { item?: Record<string, unknown> }).item ?? {};
  const behavior = conflictBehaviorOf(item['@microsoft.graph.conflictBehavior'], 'replace');
  const existing = store.child(parent.id, name);
  if (existing && (existing.folder || behavior === 'fail')) return nameAlreadyExists(res);
  const fileSize = Number(item.fileSize);
  const fsInfo = item.fileSystemInfo as { lastModifiedDateTime?: string } | undefined;
  const session: UploadSessionState = {
    id: randomBytes(16).toString('hex'),
    parentId: parent.id,
    name,
    conflictBehavior: behavior,
    size: Number.isInteger(fileSize) && fileSize >= 0 ? fileSize : null,
    parts: [],
    received: 0,
    expiresAt: Date.now() + SESSION_TTL_MS,
    modifiedAt: fsInfo?.lastModifiedDateTime,
  };
  sessions.set(session.id, session);
  res.status(200).json({
    uploadUrl: `${origin(req)}/_upload/${session.id}`,
    expirationDateTime: expiry(session),
    nextExpectedRanges: ['0-'],
  });
}

function status(s: UploadSessionState) {
  return {
    expirationDateTime: expiry(s),
    nextExpectedRanges: [s.size === null ? `${s.received}-` : `${s.received}-${s.size - 1}`],
  };
}

export function uploadRouter(store: OneDriveStore, sessions: Map<string, UploadSessionState>): Router {
  const r = express.Router();
  const find = (req: Request, res: Response): UploadSessionState | undefined => {
    if (req.headers.authorization) {
      graphError(res, 401, 'unauthenticated', 'The upload URL must not be sent an Authorization header.');
      return undefined;
    }
    const s = sessions.get(String(req.params.id));
    if (!s || s.expiresAt < Date.now()) {
      if (s) sessions.delete(s.id);
      itemNotFound(res);
      return undefined;
    }
    return s;
  };
  r.get('/_upload/:id', (req, res) => {
    const s = find(req, res);
    if (s) res.json(status(s));
  });
  r.delete('/_upload/:id', (req, res) => {
    const s = find(req, res);
    if (!s) return;
    sessions.delete(s.id);
    res.status(204).end();
  });
  r.put('/_upload/:id', express.raw({ type: () => true, limit: MAX_FRAGMENT + 1 }), (req, res) => {
    const s = find(req, res);
    if (!s) return;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(req.headers['content-range'] ?? ''));
    if (!m) return invalidRequest(res, 'The Content-Range header is missing or malformed.');
    const [start, end] = [Number(m[1]), Number(m[2])];
    const total = m[3] === '*' ? null : Number(m[3]);
    if (total === null) return invalidRequest(res, 'The total size must be given in Content-Range.');
    if (s.size !== null && total !== s.size) {
      return invalidRequest(res, `The declared size ${total} differs from the session's ${s.size}.`);
    }
    if (end < start || end >= total || body.length !== end - start + 1) {
      return invalidRequest(res, 'The Content-Range does not match the fragment sent.');
    }
    if (start !== s.received) {
      return graphError(res, 416, 'invalidRange', `Expected a fragment starting at ${s.received}.`);
    }
    const last = end + 1 === total;
    if (body.length >= MAX_FRAGMENT || (!last && body.length % FRAGMENT_UNIT !== 0)) {
      return invalidRequest(
        res,
        'Fragments must be a multiple of 320 KiB (except the last) and under 60 MiB.',
      );
    }
    s.size = total;
    s.parts.push(body);
    s.received += body.length;
    s.expiresAt = Date.now() + SESSION_TTL_MS;
    if (!last) {
      res.status(202).json(status(s));
      return;
    }
    complete(store, sessions, s, req, res);
  });
  return r;
}

function complete(
  store: OneDriveStore,
  sessions: Map<string, UploadSessionState>,
  s: UploadSessionState,
  req: Request,
  res: Response,
): void {
  sessions.delete(s.id);
  const parent = store.get(s.parentId);
  if (!parent) return itemNotFound(res);
  const content = corruptUpload(res, Buffer.concat(s.parts));
  let existing = store.child(parent.id, s.name);
  let name = s.name;
  if (existing && (existing.folder || s.conflictBehavior === 'fail')) return nameAlreadyExists(res);
  if (existing && s.conflictBehavior === 'rename') {
    name = renamed(store, parent.id, s.name);
    existing = undefined;
  }
  if (existing) {
    store.setContent(existing, content, s.modifiedAt);
    res.status(200).json(driveItem(store, existing, origin(req)));
    return;
  }
  const item = store.createFile(parent.id, name, content, s.modifiedAt);
  res.status(201).json(driveItem(store, item, origin(req)));
}
