// Reading a local file: its realpath (checked inside the root) opened without following a symlink
// swapped in since, and streamed from `start` up to the size it has when opened.
import fs, { constants } from 'node:fs';
import { Readable } from 'node:stream';
import { ConnectorError } from '../types';
import { readAt, type FsCalls } from './fs-calls';
import { mapFsError } from './fs-errors';
import { resolveExisting, toConnectorPath } from './paths';

/** Files up to this size are read whole, in one call. */
const WHOLE_READ_BYTES = 256 * 1024;
/** Chunk size of streamed reads. */
const READ_CHUNK_BYTES = 1024 * 1024;

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
    // A known end spares the stream the extra read that would find it. The stream reads through the
    // thread pool and closes the descriptor when it ends or is destroyed.
    // 1 MiB reads (not 64 KiB): a sixteenth of the system calls and thread-pool hops for large files,
    // still one bounded chunk per transfer.
    return fs.createReadStream('', {
      fd,
      start,
      end: stats.size - 1,
      autoClose: true,
      highWaterMark: READ_CHUNK_BYTES,
    });
  } catch (err) {
    await calls.close(fd).catch(() => undefined);
    throw mapFsError(err, connectorPath);
  }
}
