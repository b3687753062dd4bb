// Downloads stream through a raw POST to /2/files/download with the SDK's token: the SDK's
// filesDownload buffers the whole file (res.buffer()) and cannot send a Range header.
import { PassThrough, Readable } from 'node:stream';
import { ConnectorError } from '../types';
import type { DropboxClient } from './client';
import { toDropboxPath } from './entries';
import { classifyDropboxError } from './errors';
import { statDropbox } from './mkdir';

/** JSON for the Dropbox-API-Arg header: non-ASCII escaped as \uXXXX, as the API requires. */
export const headerSafeJson = (v: unknown): string =>
  JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export async function openDropboxFile(
  client: DropboxClient,
  path: string,
  start = 0,
  id?: string,
): Promise<Readable> {
  // Dropbox takes an "id:…" wherever it takes a path.
  const p = id ?? toDropboxPath(path);
  if (!p) throw new ConnectorError('wrong_type', '/ is a folder');
  if (!Number.isInteger(start) || start < 0)
    throw new ConnectorError('fatal_file', `Invalid start offset ${start}`);
  const what = `download ${p}`;
  const res = await client.content(
    '/2/files/download',
    {
      'Dropbox-API-Arg': headerSafeJson({ path: p }),
      ...(start > 0 ? { Range: `bytes=${start}-` } : {}),
    },
    what,
  );
  if (res.status === 416) {
    // Reading from the very end is an empty read; past it is an error.
    await res.body?.cancel();
    const size = (await statDropbox(client, p)).size ?? 0;
    if (start === size) return Readable.from([]);
    throw new ConnectorError('fatal_file', `Offset ${start} is past the end of ${p} (${size} bytes)`);
  }
  const expected = Number(res.headers.get('content-length') ?? NaN);
  if (!res.body) return Readable.from([]);
  return checked(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), what, expected);
}

/** Failures while the body streams, and bodies cut short, become retryable ConnectorErrors. */
function checked(source: NodeJS.ReadableStream, what: string, expected: number): Readable {
  const out = new PassThrough();
  let received = 0;
  const fail = (err: unknown) => out.destroy(classifyDropboxError(err, what));
  source.on('error', fail);
  source.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    if (Number.isFinite(expected) && received !== expected) {
      fail(new Error(`connection closed after ${received} of ${expected} bytes`));
    } else out.end();
  });
  out.on('close', () => (source as Readable).destroy?.());
  return out;
}
