// The partial file a write streams into, beside its target: one name per target, so a retry finds
// (and takes over, or resumes) what a dead writer left. A resumable write (its caller keeps upload
// sessions) reports `{id: inode, path, offset}` as its session and keeps the partial file when it
// fails; the next attempt reopens it, checks it is the same file holding at least `offset` bytes,
// cuts it there and writes the rest from there. A killed worker's page-cache writes survive it, so the
// offset is committed against a crash of the process; against a power cut only with LOCAL_FSYNC on
// (the data is fsynced before each report).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { UploadSession } from '../cloud';
import { ConnectorError } from '../types';
import type { FsCalls } from './fs-calls';
import { fsErrorCode } from './fs-errors';

/** Temp files start with this; listings skip them. */
export const PARTIAL_PREFIX = '.mc-partial-';
/**
 * A partial file nobody has written to for this long belongs to a writer that died (a killed worker
 * cannot clean up): the next write of the same target takes it over. A writer that stops on its own
 * dates its partial file back (`release`), so a retry need not wait.
 */
const STALE_PARTIAL_MS = 5_000;

const ftruncate = promisify(fs.ftruncate);

/** The partial file's name for a target named `name`. */
export const partialName = (name: string) =>
  `${PARTIAL_PREFIX}${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;

export const partialPath = (parent: string, name: string) => path.join(parent, partialName(name));

/** An open partial file and the byte its data continues from. */
export interface OpenPartial {
  fd: number;
  ino: number;
  start: number;
}

/** Creates the target's partial file, taking over a stale one; a live one means another write is running. */
export async function createPartial(
  calls: FsCalls,
  partial: string,
  parentPath: string,
  connectorPath: string,
): Promise<OpenPartial> {
  const opened = async (fd: number): Promise<OpenPartial> => ({
    fd,
    ino: (await calls.fstat(fd)).ino,
    start: 0,
  });
  try {
    return await opened(await calls.create(partial));
  } catch (err) {
    if (fsErrorCode(err) === 'ENOTDIR')
      throw new ConnectorError('wrong_type', `${parentPath} is not a folder`);
    if (fsErrorCode(err) !== 'EEXIST') throw err;
  }
  const existing = await calls.stat(partial).catch(() => undefined);
  if (existing) assertIdle(existing.mtimeMs, connectorPath);
  await calls.unlink(partial).catch((err: unknown) => {
    if (fsErrorCode(err) !== 'ENOENT') throw err;
  });
  return opened(await calls.create(partial));
}

/**
 * Reopens the partial file of `session` to append from its offset. A partial file that is gone,
 * replaced or shorter than the offset is `not_found`: the caller starts over.
 */
export async function resumePartial(
  calls: FsCalls,
  partial: string,
  session: UploadSession,
  connectorPath: string,
): Promise<OpenPartial> {
  const gone = () => new ConnectorError('not_found', `The partial upload of ${connectorPath} is gone`);
  let fd: number;
  try {
    fd = await calls.open(partial, fs.constants.O_WRONLY);
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT') throw gone();
    throw err;
  }
  try {
    const stats = await calls.fstat(fd);
    if (String(stats.ino) !== session.id || stats.size < session.offset) throw gone();
    assertIdle(stats.mtimeMs, connectorPath);
    await ftruncate(fd, session.offset);
    return { fd, ino: stats.ino, start: session.offset };
  } catch (err) {
    await calls.close(fd);
    throw err;
  }
}

/** A writer that stops without finishing: its partial file reads as idle to the next attempt at once. */
export const release = (calls: FsCalls, fd: number): Promise<void> =>
  calls.futimes(fd, new Date(), new Date(0)).catch(() => undefined);

/** Removes the partial file `session` describes, if it is still that file (a given-up upload). */
export async function discardPartial(calls: FsCalls, partial: string, session: UploadSession): Promise<void> {
  const stats = await calls.stat(partial).catch(() => undefined);
  if (stats && String(stats.ino) === session.id) await calls.unlink(partial).catch(() => undefined);
}

export function sessionOf(
  opened: OpenPartial,
  connectorPath: string,
  offset: number,
  size?: number,
): UploadSession {
  return { service: 'local', id: String(opened.ino), path: connectorPath, offset, size: size ?? -1 };
}

function assertIdle(mtimeMs: number, connectorPath: string): void {
  if (Date.now() - mtimeMs < STALE_PARTIAL_MS) {
    throw new ConnectorError(
      'retryable',
      `Another write of ${connectorPath} is in progress`,
      STALE_PARTIAL_MS,
    );
  }
}
