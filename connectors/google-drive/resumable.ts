// Drive's resumable upload, driven through the SDK's own OAuth client (the SDK turns
// uploadType=resumable into multipart): POST or PATCH for a session URI, then PUTs of chunks in
// multiples of 256 KiB, each answered 308 + "Range: bytes=0-N" until the last answers with the file.
import type { drive_v3 } from '@googleapis/drive';
import type { UploadSession } from '../cloud';
import { ConnectorError } from '../types';
import type { ChunkReader } from '../chunks';
import type { DriveClient } from './client';
import { FILE_FIELDS } from './entries';

export const CHUNK_GRANULARITY = 256 * 1024;

const OK_OR_INCOMPLETE = (s: number) => s === 308 || (s >= 200 && s < 300);

/** Bytes the service holds, from a 308's Range header ("bytes=0-N"); 0 when absent. */
function committed(headers: Headers): number {
  const m = /bytes=0-(\d+)/.exec(headers.get('range') ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

export async function startSession(
  client: DriveClient,
  /** A new file's metadata, or the existing file whose content is replaced (and its new modifiedTime). */
  target: { existingId: string; metadata?: drive_v3.Schema$File } | { metadata: drive_v3.Schema$File },
  size: number | undefined,
): Promise<string> {
  const base = `${client.rootUrl}upload/drive/v3/files`;
  const url =
    'existingId' in target
      ? `${base}/${encodeURIComponent(target.existingId)}?uploadType=resumable&fields=${FILE_FIELDS}`
      : `${base}?uploadType=resumable&fields=${FILE_FIELDS}`;
  const res = await client.request('start upload session', {
    url,
    method: 'existingId' in target ? 'PATCH' : 'POST',
    headers: {
      'Content-Type': 'application/json; charset=UTF-8',
      'X-Upload-Content-Type': 'application/octet-stream',
      ...(size !== undefined ? { 'X-Upload-Content-Length': String(size) } : {}),
    },
    data: target.metadata ?? {},
  });
  const location = res.headers.get('location');
  if (!location) throw new ConnectorError('retryable', 'Drive answered the session start without a Location');
  // Its chunks go out with the bearer token: a session elsewhere than the API is refused now, not later.
  const origin = URL.canParse(location) ? new URL(location).origin : null;
  const apiOrigin = new URL(client.rootUrl).origin;
  if (origin !== apiOrigin) {
    throw new ConnectorError(
      'fatal_connection',
      `Drive answered an upload session on ${origin ?? 'an unparsable URL'}, not ${apiOrigin}`,
    );
  }
  return location;
}

type PutResult = { done: true; file: drive_v3.Schema$File } | { done: false; offset: number };

async function put(client: DriveClient, url: string, range: string, body?: Buffer): Promise<PutResult> {
  const res = await client.request<drive_v3.Schema$File>('upload chunk', {
    url,
    method: 'PUT',
    headers: { 'Content-Range': range },
    data: body ?? '',
    validateStatus: OK_OR_INCOMPLETE,
    responseType: 'json',
  });
  return res.status === 308
    ? { done: false, offset: committed(res.headers) }
    : { done: true, file: res.data };
}

/**
 * Cancels a session so Drive drops what it holds (DELETE on the session URI, as Google's resumable
 * protocol does). A session that is already gone or finished is not an error.
 */
export async function cancelSession(client: DriveClient, session: UploadSession): Promise<void> {
  if (!session.url) return;
  try {
    await client.requestUngated('cancel upload session', { url: session.url, method: 'DELETE' });
  } catch (err) {
    if (!(err instanceof ConnectorError && err.kind === 'not_found')) throw err;
  }
}

/** Asks the session how far it got (empty PUT with "bytes *\/TOTAL"). */
export function querySession(client: DriveClient, session: UploadSession): Promise<PutResult> {
  return put(client, session.url!, `bytes */${session.size >= 0 ? session.size : '*'}`);
}

/**
 * Sends the rest of the stream from `session.offset`; reports the session after every committed chunk.
 * With an unknown size (session.size < 0) one chunk is read ahead to know which is the last.
 */
export async function sendChunks(
  client: DriveClient,
  reader: ChunkReader,
  session: UploadSession,
  chunkSize: number,
  onSession?: (s: UploadSession) => void,
): Promise<drive_v3.Schema$File> {
  const known = session.size >= 0;
  let offset = session.offset;
  let chunk = await reader.next(chunkSize);
  let ahead = known ? null : await reader.next(chunkSize);
  for (;;) {
    const piece = chunk ?? Buffer.alloc(0);
    const end = offset + piece.length;
    const isLast = known ? end >= session.size : ahead === null;
    if (known && end > session.size) {
      throw new ConnectorError('fatal_file', `The source has more than the announced ${session.size} bytes`);
    }
    if (known && !isLast && piece.length < chunkSize) {
      throw new ConnectorError('fatal_file', `The source ended at ${end} of ${session.size} bytes`);
    }
    const total = isLast ? String(end) : known ? String(session.size) : '*';
    const range = piece.length > 0 ? `bytes ${offset}-${end - 1}/${total}` : `bytes */${total}`;
    const r = await put(client, session.url!, range, piece);
    if (r.done) {
      if (!isLast) throw new ConnectorError('fatal_file', 'Drive completed the upload before the last chunk');
      return r.file;
    }
    if (r.offset < offset || r.offset > end) {
      throw new ConnectorError('retryable', `Drive holds ${r.offset} bytes, expected ${end}`);
    }
    onSession?.({ ...session, offset: r.offset });
    if (r.offset < end) {
      // Only part of the chunk was kept: send the rest of it again.
      chunk = piece.subarray(r.offset - offset);
      offset = r.offset;
      continue;
    }
    offset = end;
    if (known) {
      chunk = await reader.next(chunkSize);
    } else {
      chunk = ahead;
      ahead = await reader.next(chunkSize);
    }
  }
}
