// The content-host endpoints: download (Range, metadata in Dropbox-API-Result), upload (≤ 150 MiB) and
// upload sessions (start, append_v2, finish) with cursor offsets. Arguments come in the Dropbox-API-Arg
// header as JSON whose non-ASCII characters are escaped as \uXXXX.
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type Faults, sendDownload } from '../common/faults';
import { badInput, endpointError, notFound, type Tagged } from './errors';
import { argPath, metadataOf, structOf } from './metadata';
import type { DropboxStore } from './store';
import { type CommitInfo, commit } from './write';

export const MAX_REQUEST_BYTES = 150 * 1024 * 1024;

export interface UploadSessionState {
  chunks: Buffer[];
  offset: number;
  closed: boolean;
}

type Args = Record<string, unknown>;

/** The Dropbox-API-Arg header (or `arg` query parameter), parsed; answers 400 itself when unusable. */
function apiArg(req: Request, res: Response, endpoint: string): Args | null {
  const raw = req.get('Dropbox-API-Arg') ?? (typeof req.query.arg === 'string' ? req.query.arg : undefined);
  if (raw === undefined) {
    badInput(res, endpoint, 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7e]/.test(raw)) {
    badInput(res, endpoint, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
    return null;
  }
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object') return v as Args;
  } catch {
    /* answered below */
  }
  badInput(res, endpoint, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON');
  return null;
}

/** JSON for a header: non-ASCII as \uXXXX, as Dropbox sends Dropbox-API-Result. */
export const headerSafeJson = (v: unknown): string =>
  JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function range(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start >= size || start > end ? 'invalid' : { start, end };
}

const body = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

export function contentRouter(
  store: DropboxStore,
  sessions: Map<string, UploadSessionState>,
  faults: Faults,
): Router {
  const r = express.Router();
  const raw = express.raw({ type: () => true, limit: MAX_REQUEST_BYTES });
  const rawOrTooLarge = (req: Request, res: Response, next: NextFunction) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        return endpointError(res, { '.tag': 'payload_too_large' });
      }
      next(err);
    });

  r.post('/2/files/download', (req, res) => {
    const args = apiArg(req, res, 'files/download');
    const path = args && argPath(res, store, args.path);
    if (!args || path === null || path === undefined) return;
    const node = store.get(path);
    if (!node) return endpointError(res, notFound());
    if (node.tag !== 'file') return endpointError(res, { '.tag': 'path', path: { '.tag': 'not_file' } });
    const data = node.content ?? Buffer.alloc(0);
    res.set('Dropbox-API-Result', headerSafeJson(metadataOf(node)));
    res.set('Content-Type', 'application/octet-stream');
    res.set('Accept-Ranges', 'bytes');
    const wanted = range(req.get('Range'), data.length);
    if (wanted === 'invalid') {
      res.status(416).set('Content-Range', `bytes */${data.length}`).end();
      return;
    }
    const slice = wanted ? data.subarray(wanted.start, wanted.end + 1) : data;
    if (wanted) res.status(206).set('Content-Range', `bytes ${wanted.start}-${wanted.end}/${data.length}`);
    res.set('Content-Length', String(slice.length));
    sendDownload(res, slice, faults);
  });

  r.post('/2/files/upload', rawOrTooLarge, (req, res) => {
    const args = apiArg(req, res, 'files/upload');
    const path = args && argPath(res, store, args.path);
    if (!args || !path) return;
    const hash = typeof args.content_hash === 'string' ? args.content_hash : undefined;
    const out = commit(store, { ...(args as unknown as CommitInfo), path }, body(req), hash);
    if ('node' in out) return void res.json(structOf(out.node));
    const error: Tagged = out.write
      ? { '.tag': 'path', reason: out.error, upload_session_id: newSessionId() }
      : out.error;
    endpointError(res, error);
  });

  r.post('/2/files/upload_session/start', rawOrTooLarge, (req, res) => {
    const args = apiArg(req, res, 'files/upload_session/start');
    if (!args) return;
    const data = body(req);
    const id = newSessionId();
    sessions.set(id, { chunks: data.length ? [data] : [], offset: data.length, closed: args.close === true });
    res.json({ session_id: id });
  });

  /** The session a cursor names at the right offset, or the lookup error to answer. */
  const lookup = (cursor: unknown): UploadSessionState | Tagged => {
    const c = (cursor ?? {}) as { session_id?: string; offset?: number };
    const s = sessions.get(String(c.session_id ?? ''));
    if (!s) return { '.tag': 'not_found' };
    if (c.offset !== s.offset) return { '.tag': 'incorrect_offset', correct_offset: s.offset };
    return s;
  };
  const isError = (v: UploadSessionState | Tagged): v is Tagged => '.tag' in v;

  r.post('/2/files/upload_session/append_v2', rawOrTooLarge, (req, res) => {
    const args = apiArg(req, res, 'files/upload_session/append_v2');
    if (!args) return;
    const s = lookup(args.cursor);
    if (isError(s)) return endpointError(res, s);
    if (s.closed) return endpointError(res, { '.tag': 'closed' });
    const data = body(req);
    if (data.length) s.chunks.push(data);
    s.offset += data.length;
    if (args.close === true) s.closed = true;
    res.json(null);
  });

  r.post('/2/files/upload_session/finish', rawOrTooLarge, (req, res) => {
    const args = apiArg(req, res, 'files/upload_session/finish');
    if (!args) return;
    const cursor = (args.cursor ?? {}) as { session_id?: string };
    const s = lookup(args.cursor);
    if (isError(s)) return endpointError(res, { '.tag': 'lookup_failed', lookup_failed: s });
    const info = (args.commit ?? {}) as CommitInfo;
    const path = argPath(res, store, info.path);
    if (!path) return;
    const content = Buffer.concat([...s.chunks, body(req)]);
    const hash = typeof args.content_hash === 'string' ? args.content_hash : undefined;
    const out = commit(store, { ...info, path }, content, hash);
    if ('node' in out) {
      sessions.delete(String(cursor.session_id));
      return void res.json(structOf(out.node));
    }
    endpointError(res, out.write ? { '.tag': 'path', path: out.error } : out.error);
  });

  return r;
}

const newSessionId = () => `pid_upload_session:${randomBytes(18).toString('base64url')}`;
