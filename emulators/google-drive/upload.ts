// Media uploads of Drive v3: uploadType=media, multipart, and resumable sessions (308 + Range, chunks
// in multiples of 256 KiB except the last, status by an empty PUT with "Content-Range: bytes */TOTAL",
// cancelled by DELETE on the session URI).
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { corruptUpload } from '../common/faults';
import { badRequest, driveError, notFound } from './errors';
import { applyMetadata, checkNew, type FileMetadata } from './metadata';
import { parseMultipart } from './multipart';
import { selectFile } from './resource';
import { type DriveFile, type DriveStore, FOLDER_MIME } from './store';

export const CHUNK_GRANULARITY = 256 * 1024;

export interface UploadSessionState {
  id: string;
  /** Existing file whose content is replaced, or null for a new file. */
  fileId: string | null;
  meta: FileMetadata;
  contentType: string | null;
  total: number | null;
  chunks: Buffer[];
  received: number;
  fields: unknown;
  result: DriveFile | null;
}

const raw = express.raw({ type: () => true, limit: '1gb' });
const bodyOf = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

function metadataAndMedia(
  req: Request,
  res: Response,
): { meta: FileMetadata; media: Buffer; type: string | null } | null {
  const type = String(req.query.uploadType ?? 'media');
  const body = bodyOf(req);
  if (type === 'media') return { meta: {}, media: body, type: req.headers['content-type'] ?? null };
  const parts = parseMultipart(req.headers['content-type'], body);
  if (!parts || parts.length !== 2) {
    badRequest(res, 'Malformed multipart body.');
    return null;
  }
  try {
    const meta = JSON.parse(parts[0]!.body.toString('utf8') || '{}') as FileMetadata;
    return { meta, media: parts[1]!.body, type: parts[1]!.contentType };
  } catch {
    badRequest(res, 'Malformed metadata part.');
    return null;
  }
}

/** Replaces the content (and optionally the name) of an existing file. */
function update(store: DriveStore, file: DriveFile, meta: FileMetadata, media: Buffer): DriveFile {
  if (typeof meta.name === 'string' && meta.name) file.name = meta.name;
  store.setContent(file, media, typeof meta.modifiedTime === 'string' ? meta.modifiedTime : undefined);
  return file;
}

export function uploadRouter(store: DriveStore, sessions: Map<string, UploadSessionState>): Router {
  const r = express.Router();

  const start = (req: Request, res: Response, fileId: string | null): void => {
    let meta: FileMetadata = {};
    const body = bodyOf(req);
    try {
      if (body.length > 0) meta = JSON.parse(body.toString('utf8')) as FileMetadata;
    } catch {
      return badRequest(res, 'Malformed metadata.');
    }
    if (fileId === null) {
      const err = checkNew(store, meta);
      if (err) return err(res);
    }
    const lengthHeader = req.headers['x-upload-content-length'];
    const session: UploadSessionState = {
      id: randomBytes(24).toString('base64url'),
      fileId,
      meta,
      contentType: (req.headers['x-upload-content-type'] as string | undefined) ?? null,
      total: lengthHeader !== undefined ? Number(lengthHeader) : null,
      chunks: [],
      received: 0,
      fields: req.query.fields,
      result: null,
    };
    sessions.set(session.id, session);
    const origin = `${req.protocol}://${req.get('host')}`;
    res.setHeader('Location', `${origin}/upload/drive/v3/files?uploadType=resumable&upload_id=${session.id}`);
    res.setHeader('X-GUploader-UploadID', session.id);
    res.status(200).end();
  };

  r.post('/upload/drive/v3/files', raw, (req, res) => {
    if (req.query.uploadType === 'resumable') return start(req, res, null);
    const parsed = metadataAndMedia(req, res);
    if (!parsed) return;
    const media = corruptUpload(res, parsed.media);
    const created = applyMetadata(store, res, parsed.meta, parsed.type, media);
    if (created) res.json(selectFile(created, req.query.fields));
  });

  r.patch('/upload/drive/v3/files/:id', raw, (req, res) => {
    const file = store.get(String(req.params.id));
    if (!file) return notFound(res, String(req.params.id));
    if (file.mimeType === FOLDER_MIME) return badRequest(res, 'A folder has no content.');
    if (req.query.uploadType === 'resumable') return start(req, res, file.id);
    const parsed = metadataAndMedia(req, res);
    if (!parsed) return;
    const media = corruptUpload(res, parsed.media);
    res.json(selectFile(update(store, file, parsed.meta, media), req.query.fields));
  });

  const put = (req: Request, res: Response): void => {
    const session = sessions.get(String(req.query.upload_id ?? ''));
    if (!session) return driveError(res, 404, 'notFound', 'Upload session not found or expired.');
    const answerDone = () => void res.status(200).json(selectFile(session.result!, session.fields));
    if (session.result) return answerDone();
    const body = bodyOf(req);
    const range = req.headers['content-range'];
    const m = range ? /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(range.trim()) : null;
    if (range && !m) return badRequest(res, 'Invalid Content-Range header.');
    const total = m ? (m[3] === '*' ? null : Number(m[3])) : session.received + body.length;
    if (total !== null) {
      if (session.total !== null && session.total !== total)
        return badRequest(res, 'Content-Range total does not match.');
      session.total = total;
    }
    if (m && m[1] !== undefined) {
      const first = Number(m[1]);
      const last = Number(m[2]);
      if (last - first + 1 !== body.length)
        return badRequest(res, 'Content-Range does not match the body length.');
      if (first > session.received) {
        return badRequest(
          res,
          `Invalid request. Expected the next chunk to start at byte ${session.received}.`,
        );
      }
      const isLast = session.total !== null && last + 1 === session.total;
      if (!isLast && body.length % CHUNK_GRANULARITY !== 0) {
        return badRequest(
          res,
          "Invalid request. The number of bytes uploaded is required to be equal or greater than 262144, except for the final request (it's recommended to be the exact multiple of 262144).",
        );
      }
      // Bytes already persisted are skipped, as a retried chunk may overlap them.
      const fresh = body.subarray(session.received - first);
      session.chunks.push(fresh);
      session.received += fresh.length;
    } else if (!m && body.length > 0) {
      session.chunks.push(body);
      session.received += body.length;
    }
    if (session.total !== null && session.received >= session.total) return finish(session, res, answerDone);
    if (session.received > 0) res.setHeader('Range', `bytes=0-${session.received - 1}`);
    res.status(308).end();
  };

  const finish = (session: UploadSessionState, res: Response, answerDone: () => void): void => {
    const media = corruptUpload(res, Buffer.concat(session.chunks));
    if (session.fileId !== null) {
      const file = store.get(session.fileId);
      if (!file) return notFound(res, session.fileId);
      session.result = update(store, file, session.meta, media);
    } else {
      const created = applyMetadata(store, res, session.meta, session.contentType, media);
      if (!created) return;
      session.result = created;
    }
    session.chunks = [];
    answerDone();
  };

  r.put('/upload/drive/v3/files', raw, put);
  r.put('/upload/drive/v3/files/:id', raw, put);
  // Cancelling a session: Drive drops the bytes it holds; later requests on it answer 404.
  const cancel = (req: Request, res: Response): void => {
    const id = String(req.query.upload_id ?? '');
    if (!sessions.delete(id)) return driveError(res, 404, 'notFound', 'Upload session not found or expired.');
    res.status(204).end();
  };
  r.delete('/upload/drive/v3/files', cancel);
  r.delete('/upload/drive/v3/files/:id', cancel);
  return r;
}
