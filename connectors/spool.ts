// A stream of unknown length, parked in a temporary file so its size is known before uploading: for
// services whose upload sessions need the total size up front (OneDrive). Memory stays at one chunk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChunkReader } from './chunks';

export interface Spooled {
  size: number;
  reader: ChunkReader;
  /** Removes the temporary file; safe to call more than once. */
  cleanup(): Promise<void>;
}

export async function spool(reader: ChunkReader, chunkSize = 1024 * 1024): Promise<Spooled> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mc-spool-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'data');
  try {
    const handle = await fs.promises.open(file, 'w', 0o600);
    let size = 0;
    try {
      for (let chunk = await reader.next(chunkSize); chunk; chunk = await reader.next(chunkSize)) {
        await handle.write(chunk);
        size += chunk.length;
      }
    } finally {
      await handle.close();
    }
    const stream = fs.createReadStream(file);
    return {
      size,
      reader: new ChunkReader(stream),
      cleanup: async () => {
        stream.destroy();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
