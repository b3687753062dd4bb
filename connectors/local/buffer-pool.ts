// Reused read buffers. A large file's read stream takes its chunks from a pool of its own, and the
// local writer — the last to touch a chunk — hands each one back once it is written, so a 1 GiB copy
// cycles through a few buffers instead of allocating (and faulting in) a fresh MiB for every read.
// Every stage between them (the copy's hashing tap, its progress watch) is done with a chunk when it
// passes it on; a consumer that keeps chunks (an upload spool, a test collecting them) never hands
// them back, and the pool then simply allocates new ones.
const owners = new WeakMap<Buffer, BufferPool>();

export class BufferPool {
  private free: Buffer[] = [];
  private closed = false;

  /** Buffers of `size` bytes; at most `keep` wait for reuse. */
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    // Not from Node's shared slab: each chunk owns its memory, which is what gets reused.
    const buffer = this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    owners.set(buffer, this);
    return buffer;
  }

  /** No more takes: buffers handed back from now on are left to the garbage collector. */
  close(): void {
    this.closed = true;
    this.free = [];
  }

  put(buffer: Buffer): void {
    if (!this.closed && this.free.length < this.keep) this.free.push(buffer);
  }
}

/**
 * Hands `chunk` back to the pool it came from, if any (anything else is left alone). Only the last
 * holder of a chunk may call it, once nothing reads the chunk any more.
 */
export function recycle(chunk: Buffer): void {
  const pool = owners.get(chunk);
  if (!pool) return;
  owners.delete(chunk);
  pool.put(chunk);
}
