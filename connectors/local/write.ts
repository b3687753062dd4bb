// Atomic writes: bytes stream into a hidden partial file beside the target (partial.ts), are counted,
// hashed as the file holds them (stored-hash.ts: the answer's checksum) and fsynced (per LOCAL_FSYNC:
// durability.ts), and only then take the target's name. A failed or
// interrupted write never touches the target; it removes the partial file, unless its caller keeps
// upload sessions (a large file's copy), which resumes it on the next attempt.
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConnectorError, isConnectorError, type Checksum, type FileEntry, type WriteOptions } from '../types';
import { recycle } from './buffer-pool';
import type { Durability } from './durability';
import { fsyncFd, writeAt, type FsCalls } from './fs-calls';
import { toEntry } from './entries';
import { fsErrorCode, mapFsError } from './fs-errors';
import {
  createPartial,
  PARTIAL_PREFIX,
  partialPath,
  release,
  resumePartial,
  sessionOf,
  type OpenPartial,
} from './partial';
import { resolveExisting, toConnectorPath } from './paths';
import { storedHash } from './stored-hash';

export { PARTIAL_PREFIX };

/**
 * Without overwrite, link(2) refuses a taken name anyway; looking first only saves streaming the
 * bytes for nothing, which is worth a system call for files from this size (or of unknown size).
 */
const PRECHECK_FROM_BYTES = 1024 * 1024;
/** Files declared smaller than this are written with `FsCalls.writeSmall` (no thread-pool hop). */
const SMALL_FILE_BYTES = 1024 * 1024;
/**
 * A resumable write reports its session after at least this many bytes and this long (and when it
 * fails). Each report is fsynced first, and on a large file each fsync also flushes the disk's cache:
 * one every 8 MiB made a 1 GiB copy twice as slow, one a second left the disk idle for the first
 * second; about four a second keep the disk writing beside the copy (Temporal takes the session in a
 * heartbeat at most once a second anyway).
 */
const SESSION_EVERY_BYTES = 8 * 1024 * 1024;
const SESSION_EVERY_MS = 250;

export async function writeFile(
  rootReal: string,
  segments: string[],
  data: Readable,
  options: WriteOptions,
  io: { calls: FsCalls; durability: Durability },
): Promise<FileEntry> {
  const { calls, durability } = io;
  const connectorPath = toConnectorPath(segments);
  let temp: string | undefined;
  try {
    if (segments.length === 0) throw new ConnectorError('wrong_type', 'Cannot write a file at the root');
    const name = segments[segments.length - 1];
    if (name.startsWith(PARTIAL_PREFIX)) {
      throw new ConnectorError('invalid_path', `Names starting with ${PARTIAL_PREFIX} are reserved`);
    }
    const modifiedAt = parseModifiedAt(options.modifiedAt);
    const parentPath = toConnectorPath(segments.slice(0, -1));
    // A parent that is a file shows as ENOTDIR when the partial file is created in it.
    const parent = await resolveExisting(rootReal, segments.slice(0, -1), calls);
    const target = path.join(parent, name);
    // Fail before streaming anything when the outcome is already known.
    if (options.overwrite || !((options.size ?? Infinity) < PRECHECK_FROM_BYTES)) {
      await checkTarget(calls, target, connectorPath, options.overwrite);
    }

    const partial = partialPath(parent, name);
    const opened = options.session
      ? await resumePartial(calls, partial, options.session, connectorPath)
      : await createPartial(calls, partial, parentPath, connectorPath);
    temp = partial;
    // A caller that keeps sessions resumes this partial file next time: it stays when the write fails.
    const report = options.onSession;
    const { stats, checksum } = await streamToFile(calls, data, { ...opened, path: partial }, connectorPath, {
      size: options.size,
      modifiedAt,
      sync: durability.syncData,
      onCommitted: report && ((offset) => report(sessionOf(opened, connectorPath, offset, options.size))),
    }).catch((err: unknown) => {
      if (report && !isConnectorError(err, 'fatal_file')) temp = undefined;
      throw err;
    });
    await commit(calls, partial, target, connectorPath, options.overwrite);
    temp = undefined;
    await durability.named(parent);
    // Stats of the file now at the target (the same inode), taken before it was closed.
    return { ...toEntry(connectorPath, stats)!, checksum };
  } catch (err) {
    data.destroy();
    throw mapFsError(err, connectorPath);
  } finally {
    if (temp) await calls.unlink(temp).catch(() => undefined);
  }
}

function parseModifiedAt(value: string | null | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ConnectorError('fatal_file', `Invalid modification time: ${value}`);
  return date;
}

async function checkTarget(
  calls: FsCalls,
  target: string,
  connectorPath: string,
  overwrite: boolean,
): Promise<void> {
  const existing = await calls.lstat(target).catch((err: unknown) => {
    if (fsErrorCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (!existing) return;
  if (existing.isDirectory()) throw new ConnectorError('wrong_type', `${connectorPath} is a folder`);
  if (!overwrite) throw new ConnectorError('already_exists', `${connectorPath} already exists`);
}

/** What a finished write holds: its stats (taken before it was closed) and the hash of its bytes. */
interface Stored {
  stats: Stats;
  checksum: Checksum;
}

/**
 * Copies the stream into the open partial file from `opened.start` and checks the byte count; sets the
 * modification time and fsyncs the data when asked; hashes what the file holds (stored-hash.ts). One
 * write runs in the thread pool while the next chunk is read (and hashed by the copy); chunks of a
 * local source go back to its pool once written. With `onCommitted`, tells a few times a second (and on
 * failure) how many bytes the file holds, fsyncing first, beside the writes.
 */
async function streamToFile(
  calls: FsCalls,
  data: Readable,
  opened: OpenPartial & { path: string },
  connectorPath: string,
  opts: { size?: number; modifiedAt?: Date; sync: boolean; onCommitted?: (offset: number) => void },
): Promise<Stored> {
  const { size } = opts;
  const { fd } = opened;
  const stored = storedHash(calls, opened, size);
  const commits = new Commits(fd, opts.sync, opened.start, opts.onCommitted);
  const small = size !== undefined && size < SMALL_FILE_BYTES && opened.start === 0;
  /** Bytes dispatched to the file, and those it holds. */
  let written = opened.start;
  let onFile = opened.start;
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const chunk of readSource(data)) {
      if (size !== undefined && written + chunk.length > size) {
        throw sizeMismatch(connectorPath, size, `more than ${size}`);
      }
      await writing;
      commits.check();
      const end = (written += chunk.length);
      const write = small ? calls.writeSmall(fd, chunk) : writeAt(fd, chunk, end - chunk.length);
      writing = write.then(() => {
        onFile = end;
        stored.wrote(end);
        recycle(chunk);
        commits.progress(end);
      });
    }
    await writing;
    if (size !== undefined && written !== size) throw sizeMismatch(connectorPath, size, String(written));
    await commits.settle();
    if (opts.modifiedAt) await calls.futimes(fd, new Date(), opts.modifiedAt);
    const [checksum] = await Promise.all([
      stored.checksum(written).catch((err: Error) => {
        throw new ConnectorError('retryable', `Reading back ${connectorPath} failed: ${err.message}`);
      }),
      opts.sync ? fsyncFd(fd) : undefined,
    ]);
    return { stats: await calls.fstat(fd), checksum };
  } catch (err) {
    stored.abort();
    // Never close the descriptor under a write.
    await writing.catch(() => undefined);
    if (opts.onCommitted) {
      // What is on file now is where the next attempt continues; dated back, it need not wait.
      await commits.settle().catch(() => undefined);
      if (onFile > commits.reported) await commits.commit(onFile).catch(() => undefined);
      await release(calls, fd);
    }
    throw err;
  } finally {
    await calls.close(fd);
  }
}

/**
 * Reports how many bytes the file holds every SESSION_EVERY_BYTES and SESSION_EVERY_MS, after an fsync
 * when asked. In the background: the writes go on meanwhile, with one commit at a time; a failure
 * shows at `check`.
 */
class Commits {
  private running: Promise<void> | undefined;
  private failure: { err: unknown } | undefined;
  private lastAt = Date.now();

  constructor(
    private readonly fd: number,
    private readonly sync: boolean,
    public reported: number,
    private readonly report?: (offset: number) => void,
  ) {}

  /** The file holds `onFile` bytes: commits them if enough are new and no commit is running. */
  progress(onFile: number): void {
    if (!this.report || this.running || onFile - this.reported < SESSION_EVERY_BYTES) return;
    if (Date.now() - this.lastAt < SESSION_EVERY_MS) return;
    this.lastAt = Date.now();
    this.running = this.commit(onFile)
      .catch((err: unknown) => void (this.failure ??= { err }))
      .finally(() => (this.running = undefined));
  }

  /** Throws what a background commit failed with. */
  check(): void {
    if (this.failure) throw this.failure.err;
  }

  async settle(): Promise<void> {
    await this.running;
    this.check();
  }

  async commit(offset: number): Promise<void> {
    if (this.sync) await fsyncFd(this.fd);
    this.report?.((this.reported = offset));
  }
}

/** The source's chunks as Buffers; a source failure that is not already classified is worth a retry. */
async function* readSource(data: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of data) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
  } catch (err) {
    if (err instanceof ConnectorError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConnectorError('retryable', `Reading the source failed: ${reason}`);
  }
}

const sizeMismatch = (connectorPath: string, expected: number, got: string) =>
  new ConnectorError('fatal_file', `${connectorPath}: expected ${expected} bytes, received ${got}`);

/**
 * Moves the finished temp file into place. Without overwrite, link(2) creates the target only if absent
 * (atomic, EEXIST otherwise); where the file system cannot hard-link (some NAS mounts) we re-check and
 * rename, leaving only a tiny window.
 */
async function commit(
  calls: FsCalls,
  temp: string,
  target: string,
  connectorPath: string,
  overwrite: boolean,
): Promise<void> {
  if (overwrite) {
    await calls.rename(temp, target);
    return;
  }
  try {
    await calls.link(temp, target);
    await calls.unlink(temp).catch(() => undefined);
    return;
  } catch (err) {
    const code = fsErrorCode(err);
    if (code === 'EEXIST') throw new ConnectorError('already_exists', `${connectorPath} already exists`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
  }
  await checkTarget(calls, target, connectorPath, false);
  await calls.rename(temp, target);
}
