// Reading a local file: its realpath (checked inside the root) opened without following a symlink
// swapped in since, and streamed from `start` up to the size it has when opened.
import fs, { constants } from 'node:fs';
import { Readable } from 'node:stream';
import { ConnectorError } from '../types';
import { BufferPool } from './buffer-pool';
import { readAt, type FsCalls } from './fs-calls';
import { mapFsError } from './fs-errors';
import { resolveExisting, toConnectorPath } from './paths';

/** Files up to this size are read whole, in one call. */
const WHOLE_READ_BYTES = 256 * 1024;
/**
 * Chunk size of streamed reads: a sixteenth of the system calls and thread-pool hops of Node's 64 KiB
 * for large files, still small enough to be hashed while it is in the CPU's cache.
 */
const READ_CHUNK_BYTES = 1024 * 1024;
/** Bytes a streamed read holds ahead of its consumer: the next chunks are read while one is written. */
const READ_AHEAD_BYTES = 2 * READ_CHUNK_BYTES;
/** Buffers a stream keeps for reuse: about as many as can be on their way at once. */
const POOLED_CHUNKS = 8;

/** A stream of one buffer. */
function bufferStream(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        if (bytes.length > 0) this.push(bytes);
      }
      this.push(null);
    },
  });
}

export async function openFile(
  rootReal: string,
  segments: string[],
  start: number,
  calls: FsCalls,
): Promise<Readable> {
  const connectorPath = toConnectorPath(segments);
  if (!Number.isInteger(start) || start < 0) {
    throw new ConnectorError('fatal_file', `Invalid start offset ${start} for ${connectorPath}`);
  }
  const real = await resolveExisting(rootReal, segments, calls);
  let fd: number;
  try {
    // O_NOFOLLOW: the realpath we checked must not have become a symlink since.
    fd = await calls.open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    throw mapFsError(err, connectorPath);
  }
  try {
    const stats = await calls.fstat(fd);
    if (stats.isDirectory()) throw new ConnectorError('wrong_type', `${connectorPath} is a folder`);
    if (!stats.isFile()) {
      throw new ConnectorError('wrong_type', `${connectorPath} is neither a file nor a folder`);
    }
    const left = Math.max(0, stats.size - start);
    if (left <= WHOLE_READ_BYTES) {
      // A small file in one read (through the thread pool: it may be cold on disk), closed at once.
      const bytes = await readAt(fd, left, start);
      await calls.close(fd);
      return bufferStream(bytes);
    }
    return new FileChunks(fd, start, stats.size);
  } catch (err) {
    await calls.close(fd).catch(() => undefined);
    throw mapFsError(err, connectorPath);
  }
}

/**
 * The bytes of an open file from `start` to `end` (its size when opened: a known end spares the read
 * that would find it), read through the thread pool into reused buffers (buffer-pool.ts). Closes the
 * descriptor when it ends or is destroyed — after a read under way, never under it.
 */
class FileChunks extends Readable {
  private readonly pool = new BufferPool(READ_CHUNK_BYTES, POOLED_CHUNKS);
  private reading = false;
  private afterRead: (() => void) | undefined;

  constructor(
    private readonly fd: number,
    private position: number,
    private readonly end: number,
  ) {
    super({ highWaterMark: READ_AHEAD_BYTES });
  }

  override _read(): void {
    if (this.reading) return;
    const length = Math.min(READ_CHUNK_BYTES, this.end - this.position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = this.pool.take();
    this.reading = true;
    fs.read(this.fd, buffer, 0, length, this.position, (err, bytesRead) => {
      this.reading = false;
      if (this.afterRead) return this.afterRead();
      if (err) return void this.destroy(err);
      // A file cut short since it was opened ends early: the writer's byte count tells.
      if (bytesRead === 0) return void this.push(null);
      this.position += bytesRead;
      this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      if (this.position >= this.end) this.push(null);
    });
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.pool.close();
    const close = () => fs.close(this.fd, () => callback(err));
    if (this.reading) this.afterRead = close;
    else close();
  }
}
