// Reading: binary files stream with a Range request; Google-native documents only through
// files.export, to the matching Office format (Drive refuses exports over 10 MB: fatal for that file).
import { PassThrough, Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError } from '../types';
import type { DriveClient } from './client';
import { EXPORT_FORMATS, isFolder, isNative } from './entries';
import { classifyDriveError } from './errors';

/** Native type → the mime type it is exported as. */
export const EXPORT_MIME: Record<string, string> = Object.fromEntries(
  Object.entries(EXPORT_FORMATS).map(([native, format]) => [native, format.mimeType]),
);

/** gaxios hands a stream body over as fetch gives it: a WHATWG stream with the built-in fetch. */
const toNode = (body: unknown): Readable =>
  body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream);

/** Errors while the body streams (a reset connection) become ConnectorErrors too. */
function classified(body: unknown, what: string, skip = 0): Readable {
  const source = toNode(body);
  const out = new PassThrough();
  let toSkip = skip;
  source.on('error', (err) => out.destroy(classifyDriveError(err, what)));
  source.on('data', (chunk: Buffer) => {
    if (toSkip > 0) {
      const drop = Math.min(toSkip, chunk.length);
      toSkip -= drop;
      chunk = chunk.subarray(drop);
      if (chunk.length === 0) return;
    }
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.on('end', () => out.end());
  out.on('close', () => source.destroy());
  return out;
}

export async function openDriveFile(
  client: DriveClient,
  file: drive_v3.Schema$File,
  path: string,
  start: number,
): Promise<Readable> {
  if (isFolder(file)) throw new ConnectorError('wrong_type', `${path} is a folder`);
  if (!Number.isInteger(start) || start < 0) {
    throw new ConnectorError('fatal_file', `Invalid start offset ${start} for ${path}`);
  }
  if (isNative(file)) {
    const mimeType = EXPORT_MIME[file.mimeType ?? ''];
    if (!mimeType) throw new ConnectorError('fatal_file', `${path} (${file.mimeType}) cannot be exported`);
    const res = await client.call(`export ${path}`, (o) =>
      client.api.files.export({ fileId: file.id!, mimeType }, { ...o, responseType: 'stream' }),
    );
    // Exports have no Range: the bytes before `start` are read and dropped.
    return classified(res.data, `export ${path}`, start);
  }
  const size = Number(file.size ?? 0);
  if (start >= size) {
    if (start > size) throw new ConnectorError('fatal_file', `Offset ${start} is past the end of ${path}`);
    return Readable.from([]);
  }
  return downloadDriveFile(client, file.id!, path, start);
}

/** The bytes of the binary file `id` from `start`, in one request (no metadata asked first). */
export async function downloadDriveFile(
  client: DriveClient,
  id: string,
  path: string,
  start = 0,
): Promise<Readable> {
  const res = await client.call(`download ${path}`, (o) =>
    client.api.files.get(
      { fileId: id, alt: 'media' },
      { ...o, responseType: 'stream', headers: start > 0 ? { Range: `bytes=${start}-` } : {} },
    ),
  );
  return classified(res.data, `download ${path}`);
}
