// Atomic writes: bytes stream into a hidden temp file beside the target, are counted (and fsynced,
// per LOCAL_FSYNC: durability.ts), and only then take the target's name. A failed or interrupted
// write removes the temp file and never touches the target.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConnectorError, type FileEntry, type WriteOptions } from '../types';
import type { Durability } from './durability';
import { fsyncFd, writeAll, type FsCalls } from './fs-calls';
import { toEntry } from './entries';
import { fsErrorCode, mapFsError } from './fs-errors';
import { resolveExisting, toConnectorPath } from './paths';

/** Temp files start with this; listings skip them. */
export const PARTIAL_PREFIX = '.mc-partial-';
/**
 * A partial file nobody has written to for this long belongs to a writer that died (a killed worker
 * cannot clean up): the next write of the same target takes it over.
 */
const STALE_PARTIAL_MS = 5_000;
/**
 * Without overwrite, link(2) refuses a taken name anyway; looking first only saves streaming the
 * bytes for nothing, which is worth a system call for files from this size (or of unknown size).
 */
const PRECHECK_FROM_BYTES = 1024 * 1024;
/** Files declared smaller than this are written with `FsCalls.writeSmall` (no thread-pool hop). */
const SMALL_FILE_BYTES = 1024 * 1024;

/** One temp name per target, so a retry after a crash reuses (and so removes) the dead writer's file. */
const partialName = (name: string) =>
  `${PARTIAL_PREFIX}${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;

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

    const partial = path.join(parent, partialName(name));
    const fd = await openPartial(calls, partial, parentPath, connectorPath);
    temp = partial;
    const stats = await streamToFile(calls, data, fd, connectorPath, {
      size: options.size,
      modifiedAt,
      sync: durability.syncData,
    });
    await commit(calls, temp, target, connectorPath, options.overwrite);
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

/** Creates the target's partial file, taking over a stale one; a live one means another write is running. */
async function openPartial(
  calls: FsCalls,
  partial: string,
  parentPath: string,
  connectorPath: string,
): Promise<number> {
  try {
    return await calls.create(partial);
  } catch (err) {
    if (fsErrorCode(err) === 'ENOTDIR')
      throw new ConnectorError('wrong_type', `${parentPath} is not a folder`);
    if (fsErrorCode(err) !== 'EEXIST') throw err;
  }
  const existing = await calls.stat(partial).catch(() => undefined);
  if (existing && Date.now() - existing.mtimeMs < STALE_PARTIAL_MS) {
    throw new ConnectorError(
      'retryable',
      `Another write of ${connectorPath} is in progress`,
      STALE_PARTIAL_MS,
    );
  }
  await calls.unlink(partial).catch((err: unknown) => {
    if (fsErrorCode(err) !== 'ENOENT') throw err;
  });
  return calls.create(partial);
}

/**
 * Copies the stream into the open partial file and checks the byte count; sets the modification
 * time and fsyncs the data when asked. Answers the file's stats, taken before it is closed.
 */
async function streamToFile(
  calls: FsCalls,
  data: Readable,
  fd: number,
  connectorPath: string,
  opts: { size?: number; modifiedAt?: Date; sync: boolean },
): Promise<Stats> {
  const { size } = opts;
  try {
    let written = 0;
    const write = size !== undefined && size < SMALL_FILE_BYTES ? calls.writeSmall : writeAll;
    for await (const chunk of readSource(data)) {
      written += chunk.length;
      if (size !== undefined && written > size) throw sizeMismatch(connectorPath, size, `more than ${size}`);
      await write(fd, chunk);
    }
    if (size !== undefined && written !== size) throw sizeMismatch(connectorPath, size, String(written));
    if (opts.modifiedAt) await calls.futimes(fd, new Date(), opts.modifiedAt);
    if (opts.sync) await fsyncFd(fd);
    return await calls.fstat(fd);
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
