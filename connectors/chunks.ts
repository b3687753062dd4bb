// Reads a stream in pieces of exactly `size` bytes (the last may be shorter), holding one piece at a time;
// and what every cloud connector's chunked write does with it.
import type { Readable } from 'node:stream';
import { ConnectorError, type FileEntry, type WriteOptions } from './types';

/** How a cloud connector uploads: its chunk size, and the size from which it uses a resumable session. */
export interface UploadSettings {
  chunkSize: number;
  resumableThreshold: number;
}

export class ChunkReader {
  private readonly it: AsyncIterator<Buffer | string>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;

  constructor(source: Readable) {
    this.it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  }

  /** The next `size` bytes, fewer only at the end; null once nothing is left. */
  async next(size: number): Promise<Buffer | null> {
    while (!this.ended && this.pendingBytes < size) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.pending.push(buf);
      this.pendingBytes += buf.length;
    }
    if (this.pendingBytes === 0) return null;
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const out = all.subarray(0, size);
    const rest = all.subarray(out.length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return out;
  }

  /** Puts bytes back in front: read ahead to decide, or a chunk the service only partly needed. */
  unshift(data: Buffer): void {
    if (data.length === 0) return;
    this.pending.unshift(data);
    this.pendingBytes += data.length;
  }

  /** Drops `n` bytes (the part of a resumed upload the service already has). */
  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const b = await this.next(Math.min(left, 1024 * 1024));
      if (!b) return;
      left -= b.length;
    }
  }
}

/**
 * The whole body of a small upload: fewer than `threshold` bytes (read ahead to find out when `size`
 * is unknown), checked against the announced size. null for a large one, with anything read put back;
 * nothing is read when the announced size is large, so a session can commit chunks as they come.
 */
export async function readSmallBody(
  reader: ChunkReader,
  size: number | undefined,
  threshold: number,
  path: string,
): Promise<Buffer | null> {
  if (size !== undefined && size >= threshold) return null;
  const head = (await reader.next(size === undefined ? threshold : size + 1)) ?? Buffer.alloc(0);
  if (head.length >= threshold) {
    reader.unshift(head);
    return null;
  }
  if (size !== undefined && head.length !== size) {
    throw new ConnectorError('fatal_file', `${path}: the source had ${head.length} bytes, not ${size}`);
  }
  return head;
}

type ChunkedWrite<C> = (
  client: C,
  settings: UploadSettings,
  path: string,
  reader: ChunkReader,
  options: WriteOptions,
) => Promise<FileEntry>;

/** A connector's write over a ChunkReader, taking the source stream and releasing it however it ends. */
export const readingStream =
  <C>(write: ChunkedWrite<C>) =>
  async (
    client: C,
    settings: UploadSettings,
    path: string,
    data: Readable,
    options: WriteOptions,
  ): Promise<FileEntry> => {
    try {
      return await write(client, settings, path, new ChunkReader(data), options);
    } finally {
      data.destroy();
    }
  };
