// Byte helpers shared by the connector suites: a buffer as a stream of pieces, a file read whole, and
// the hash a service would report for some bytes.
import { Readable } from 'node:stream';
import { createHasher } from '../../common/hashing';
import type { Connector, HashAlgorithm } from '../../connectors/types';

/** `data` as a stream of `chunk`-sized pieces, as a network source delivers it. */
export const streamOf = (data: Buffer, chunk = 64 * 1024): Readable =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );

/** `data` in pieces up to byte `cut`, then an error: a source that goes away mid-upload. */
export const failingStreamOf = (data: Buffer, cut: number, chunk = 64 * 1024): Readable =>
  Readable.from(
    (async function* () {
      for (let i = 0; i < cut; i += chunk) yield data.subarray(i, Math.min(i + chunk, cut));
      throw new Error('source interrupted');
    })(),
  );

export async function readAll(c: Connector, path: string, start?: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await c.openRead(path, { start })) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export function hashOf(algorithm: HashAlgorithm, data: Buffer): string {
  const h = createHasher(algorithm);
  h.update(data);
  return h.digest();
}
