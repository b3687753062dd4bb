// Atomic writes: bytes stream into a hidden temp file beside the target, are fsynced and counted, and
// only then renamed into place. A failed or interrupted write removes the temp file and never touches
// the target.
import { createHash } from 'node:crypto';
import { promises as fsp, type promises } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConnectorError, type FileEntry, type WriteOptions } from '../types';
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

/** One temp name per target, so a retry after a crash reuses (and so removes) the dead writer's file. */
const partialName = (name: string) =>
  `${PARTIAL_PREFIX}${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;

export async function writeFile(
  rootReal: string,
  segments: string[],
  data: Readable,
  options: WriteOptions,
): Promise<FileEntry> {
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
    const parent = await resolveExisting(rootReal, segments.slice(0, -1));
    const parentStats = await fsp.stat(parent).catch((err: unknown) => {
      throw mapFsError(err, parentPath);
    });
    if (!parentStats.isDirectory()) throw new ConnectorError('wrong_type', `${parentPath} is not a folder`);
    const target = path.join(parent, name);
    // Fail before streaming anything when the outcome is already known.
    await checkTarget(target, connectorPath, options.overwrite);

    const partial = path.join(parent, partialName(name));
    const handle = await openPartial(partial, connectorPath);
    temp = partial;
    await streamToFile(data, handle, connectorPath, options.size);
    if (modifiedAt) await fsp.utimes(temp, new Date(), modifiedAt);
    await commit(temp, target, connectorPath, options.overwrite);
    temp = undefined;
    await syncFolder(parent);
    return toEntry(connectorPath, await fsp.stat(target))!;
  } catch (err) {
    data.destroy();
    throw mapFsError(err, connectorPath);
  } finally {
    if (temp) await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}

function parseModifiedAt(value: string | null | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ConnectorError('fatal_file', `Invalid modification time: ${value}`);
  return date;
}

async function checkTarget(target: string, connectorPath: string, overwrite: boolean): Promise<void> {
  const existing = await fsp.lstat(target).catch((err: unknown) => {
    if (fsErrorCode(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (!existing) return;
  if (existing.isDirectory()) throw new ConnectorError('wrong_type', `${connectorPath} is a folder`);
  if (!overwrite) throw new ConnectorError('already_exists', `${connectorPath} already exists`);
}

/** Creates the target's partial file, taking over a stale one; a live one means another write is running. */
async function openPartial(partial: string, connectorPath: string): Promise<promises.FileHandle> {
  try {
    return await fsp.open(partial, 'wx');
  } catch (err) {
    if (fsErrorCode(err) !== 'EEXIST') throw err;
  }
  const existing = await fsp.stat(partial).catch(() => undefined);
  if (existing && Date.now() - existing.mtimeMs < STALE_PARTIAL_MS) {
    throw new ConnectorError(
      'retryable',
      `Another write of ${connectorPath} is in progress`,
      STALE_PARTIAL_MS,
    );
  }
  await fsp.rm(partial, { force: true });
  return fsp.open(partial, 'wx');
}

/** Copies the stream into the open partial file, fsyncs it and checks the byte count. */
async function streamToFile(
  data: Readable,
  handle: promises.FileHandle,
  connectorPath: string,
  size?: number,
): Promise<void> {
  try {
    let written = 0;
    for await (const chunk of readSource(data)) {
      written += chunk.length;
      if (size !== undefined && written > size) throw sizeMismatch(connectorPath, size, `more than ${size}`);
      await handle.write(chunk, 0, chunk.length);
    }
    if (size !== undefined && written !== size) throw sizeMismatch(connectorPath, size, String(written));
    await handle.sync();
  } finally {
    await handle.close();
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
  temp: string,
  target: string,
  connectorPath: string,
  overwrite: boolean,
): Promise<void> {
  if (overwrite) {
    await fsp.rename(temp, target);
    return;
  }
  try {
    await fsp.link(temp, target);
    await fsp.rm(temp, { force: true });
    return;
  } catch (err) {
    const code = fsErrorCode(err);
    if (code === 'EEXIST') throw new ConnectorError('already_exists', `${connectorPath} already exists`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
  }
  await checkTarget(target, connectorPath, false);
  await fsp.rename(temp, target);
}

/** Makes the rename durable; best effort, as not every file system lets a folder be fsynced. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fsp.open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
