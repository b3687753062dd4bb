// Reading: GET …/content through the SDK (Graph answers 302 to the pre-authenticated download URL,
// which fetch follows), with Range for an offset, as a raw response so the body streams.
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { ResponseType } from '@microsoft/microsoft-graph-client';
import { ConnectorError } from '../types';
import type { GraphClient } from './client';
import { type GraphItem, isFolder } from './entries';
import { classifyGraphError, HttpFailure } from './errors';

/** Errors while the body streams (a reset connection) become ConnectorErrors too. */
export function classified(body: ReadableStream<Uint8Array>, what: string): Readable {
  const source = Readable.fromWeb(body);
  const out = new PassThrough();
  source.on('error', (err) => out.destroy(classifyGraphError(err, what)));
  out.on('close', () => source.destroy());
  source.pipe(out);
  return out;
}

export async function openOneDriveFile(
  client: GraphClient,
  item: GraphItem,
  path: string,
  start: number,
): Promise<Readable> {
  if (isFolder(item)) throw new ConnectorError('wrong_type', `${path} is a folder`);
  if (!Number.isInteger(start) || start < 0) {
    throw new ConnectorError('fatal_file', `Invalid start offset ${start} for ${path}`);
  }
  const size = item.size ?? 0;
  if (start >= size) {
    if (start > size) throw new ConnectorError('fatal_file', `Offset ${start} is past the end of ${path}`);
    return Readable.from([]);
  }
  return downloadOneDriveItem(client, item.id, path, start);
}

/** The bytes of the file `id` from `start`, in one request (no metadata asked first). */
export async function downloadOneDriveItem(
  client: GraphClient,
  id: string,
  path: string,
  start = 0,
): Promise<Readable> {
  const what = `download ${path}`;
  const res = await client.call(what, async () => {
    let req = client.api(`/me/drive/items/${encodeURIComponent(id)}/content`).responseType(ResponseType.RAW);
    if (start > 0) req = req.header('Range', `bytes=${start}-`);
    const raw = (await req.get()) as Response;
    if (!raw.ok) throw await HttpFailure.from(raw);
    if (start > 0 && raw.status !== 206) {
      await raw.body?.cancel();
      throw new ConnectorError('retryable', `${what}: the service ignored the Range request`);
    }
    return raw;
  });
  if (!res.body) return Readable.from([]);
  return classified(res.body as ReadableStream<Uint8Array>, what);
}
