// Reads a stream in pieces of exactly `size` bytes (the last may be shorter), holding one piece at a time.
import type { Readable } from 'node:stream';

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
