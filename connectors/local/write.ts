// Atomic writes: bytes stream into a hidden partial file beside the target (partial.ts), are counted
// (and fsynced, per LOCAL_FSYNC: durability.ts), and only then take the target's name. A failed or
// interrupted write never touches the target; it removes the partial file, unless its caller keeps
// upload sessions (a large file's copy), which resumes it on the next attempt.
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConnectorError, isConnectorError, type FileEntry, type WriteOptions } from '../types';
import type { Durability } from './durability';
import { fsyncFd, writeAll, type FsCalls } from './fs-calls';
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

export { PARTIAL_PREFIX };

/**
 * Without overwrite, link(2) refuses a taken name anyway; looking first only saves streaming the
 * bytes for nothing, which is worth a system call for files from this size (or of unknown size).
 */
const PRECHECK_FROM_BYTES = 1024 * 1024;
/** Files declared smaller than this are written with `FsCalls.writeSmall` (no thread-pool hop). */
const SMALL_FILE_BYTES = 1024 * 1024;
/** A resumable write reports its session after about this many bytes (and when it fails). */
const SESSION_EVERY_BYTES = 8 * 1024 * 1024;

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
    const stats = await streamToFile(calls, data, opened, connectorPath, {
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
    return toEntry(connectorPath, stats)!;
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

/**
 * Copies the stream into the open partial file from `opened.start` and checks the byte count; sets the
 * modification time and fsyncs the data when asked. Answers the file's stats, taken before it is
 * closed. With `onCommitted`, tells every few MiB (and on failure) how many bytes the file holds.
 */
async function streamToFile(
  calls: FsCalls,
  data: Readable,
  opened: OpenPartial,
  connectorPath: string,
  opts: { size?: number; modifiedAt?: Date; sync: boolean; onCommitted?: (offset: number) => void },
): Promise<Stats> {
  const { size, onCommitted } = opts;
  const { fd } = opened;
  let written = opened.start;
  let reported = written;
  const commit = async () => {
    if (opts.sync) await fsyncFd(fd);
    onCommitted?.((reported = written));
  };
  try {
    const write = size !== undefined && size < SMALL_FILE_BYTES ? calls.writeSmall : writeAll;
    for await (const chunk of readSource(data)) {
      if (size !== undefined && written + chunk.length > size) {
        throw sizeMismatch(connectorPath, size, `more than ${size}`);
      }
      await write(fd, chunk);
      written += chunk.length;
      if (onCommitted && written - reported >= SESSION_EVERY_BYTES) await commit();
    }
    if (size !== undefined && written !== size) throw sizeMismatch(connectorPath, size, String(written));
    if (opts.modifiedAt) await calls.futimes(fd, new Date(), opts.modifiedAt);
    if (opts.sync) await fsyncFd(fd);
    return await calls.fstat(fd);
  } catch (err) {
    if (onCommitted) {
      // What is on file now is where the next attempt continues; dated back, it need not wait.
      if (written > reported) await commit().catch(() => undefined);
      await release(calls, fd);
    }
    throw err;
  } finally {
    await calls.close(fd);
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
