// Pulls a stream apart into pieces of a chosen size, holding at most one piece (plus one source chunk).
import type { Readable } from 'node:stream';

export class Chunker {
  private readonly source: AsyncIterator<Buffer | string>;
  private carry: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(stream: Readable) {
    this.source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  }

  /** Up to `size` bytes (fewer only at the end of the stream); an empty Buffer once it is over. */
  async take(size: number): Promise<Buffer> {
    const parts: Buffer[] = this.carry.length ? [this.carry] : [];
    let have = this.carry.length;
    while (have < size && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      parts.push(buf);
      have += buf.length;
    }
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.carry = all.subarray(Math.min(size, all.length));
    return all.subarray(0, Math.min(size, all.length));
  }

  /** Puts bytes back in front (a chunk the service only partly needed). */
  unshift(data: Buffer): void {
    this.carry = this.carry.length ? Buffer.concat([data, this.carry]) : data;
  }
}
