// Copies one file between two connectors, streaming: bytes flow from the source's read stream
// straight into the destination's write (transfer.ts); nothing is buffered whole.
import type { Readable } from 'node:stream';
import {
  isConnectorError,
  type Connector,
  type FileEntry,
  type HashAlgorithm,
  type WriteOptions,
} from '../../connectors/types';
import { planWrite } from './conflict';
import { earlierWrite, type EarlierTry } from './earlier-write';
import type { CopyContext } from './context';
import { transfer, TransferMismatch } from './transfer';
import type { FileOutcome, FileTask } from '../../contract';

const RETRY_ATTEMPTS = 3;
/** Writes of a file whose copy did not verify, before it fails. */
const VERIFY_ATTEMPTS = 3;

/**
 * Copies one file, retrying transient errors a few times. Errors that concern only this file
 * become a `failed` outcome; errors about the connection or that persist are thrown so that the
 * activity fails (and Temporal retries it, skipping files already done).
 */
export async function copyFileWithRetries(ctx: CopyContext, task: FileTask): Promise<FileOutcome> {
  let mismatches = 0;
  let rewrite: string | undefined;
  // A try after a failed one (or in a retried batch) may find what an earlier try wrote.
  let earlier: EarlierTry | undefined = ctx.retried ? { sinceMs: ctx.sinceMs ?? Date.now() } : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return rewrite ? await rewriteOnce(ctx, task, rewrite) : await copyFileOnce(ctx, task, earlier);
    } catch (err) {
      earlier ??= { sinceMs: ctx.sinceMs ?? Date.now() };
      if (ctx.signal.aborted) throw err;
      if (err instanceof TransferMismatch) {
        // The destination holds bytes other than those read: write that same file again.
        if (++mismatches < VERIFY_ATTEMPTS) {
          rewrite = err.path;
          attempt = 0;
          continue;
        }
        return {
          status: 'failed',
          reason: `${err.message} (written ${mismatches} times${await removeCorrupt(ctx, err.path)})`,
        };
      }
      if (isConnectorError(err, 'retryable') && attempt < RETRY_ATTEMPTS) {
        await ctx.sleep(err.retryAfterMs ?? 500 * 2 ** attempt);
        continue;
      }
      if (isConnectorError(err) && err.kind !== 'retryable' && err.kind !== 'fatal_connection') {
        return { status: 'failed', reason: describe(err.kind, err.message) };
      }
      throw err;
    }
  }
}

/**
 * A copy that never verified is removed, as rclone does: a file whose bytes differ from the source's
 * must not pass for it. Best effort: the reason says what became of it.
 */
async function removeCorrupt(ctx: CopyContext, path: string): Promise<string> {
  if (!ctx.destination.delete) return '; the last copy stays at the destination';
  try {
    await ctx.destination.delete(path);
    return '; the copy was removed';
  } catch {
    return '; the last copy could not be removed and stays at the destination';
  }
}

async function copyFileOnce(ctx: CopyContext, task: FileTask, earlier?: EarlierTry): Promise<FileOutcome> {
  // What exploring listed at the name serves only a first try: a later one may find its own write.
  const listed = !earlier && task.found !== undefined;
  const existing = listed ? foundEntry(task) : await statOrUndefined(ctx.destination, task.destinationPath);
  if (existing?.type === 'folder') {
    return { status: 'failed', reason: 'A folder with this name exists at the destination' };
  }
  // Where (and whether) to write when the name is taken: the conflict policy (conflict.ts).
  const plan = await planWrite(ctx, task, existing);
  if ('skip' in plan) {
    const mine =
      earlier &&
      (await earlierWrite(ctx, task, plan.identical ?? existing, earlier, plan.identical !== undefined));
    return mine ?? { status: 'skipped', bytes: task.size ?? existing?.size ?? 0, reason: plan.skip };
  }

  try {
    // What exploring learned spares the destination's own lookups (WriteOptions): what is at the
    // name only on a first try at the task's own path, the folder's id always.
    const hints: Partial<WriteOptions> = {
      ...(listed && plan.path === task.destinationPath
        ? { existing: existing ? brief(existing) : null }
        : {}),
      ...(task.destinationFolderId ? { folderId: task.destinationFolderId } : {}),
    };
    const to = Object.keys(hints).length
      ? { ...ctx, destination: knowing(ctx.destination, plan.path, hints) }
      : ctx;
    const written = await transfer(to, asWritten(ctx, task, plan.path), plan.overwrite);
    return copied(task, written.size, plan.path);
  } catch (err) {
    // Taken since exploring listed the folder: decide again from what is there now.
    if (listed && isConnectorError(err) && (err.kind === 'already_exists' || err.kind === 'wrong_type')) {
      return copyFileOnce(ctx, withoutFound(task), earlier);
    }
    // Another attempt (or a concurrent writer) got there first: under `skip` that is a skip.
    if (isConnectorError(err, 'already_exists') && ctx.conflict === 'skip') {
      const there = earlier && (await statOrUndefined(ctx.destination, plan.path));
      const mine = there && (await earlierWrite(ctx, task, there, earlier!));
      return mine || { status: 'skipped', bytes: task.size ?? 0 };
    }
    throw err;
  }
}

/** Replaces the file this copy wrote at `path` (it did not verify), whatever the conflict policy. */
async function rewriteOnce(ctx: CopyContext, task: FileTask, path: string): Promise<FileOutcome> {
  const written = await transfer(ctx, asWritten(ctx, task, path), true);
  return copied(task, written.size, path);
}

const copied = (task: FileTask, size: number | null, path: string): FileOutcome => ({
  status: 'copied',
  bytes: size ?? task.size ?? 0,
  ...(path !== task.destinationPath ? { path } : {}),
});

/** The task as written at `path`: carrying the source's modification time only when it is preserved. */
const asWritten = (ctx: CopyContext, task: FileTask, path: string): FileTask => ({
  ...task,
  destinationPath: path,
  modifiedAt: ctx.preserveModifiedTime === false ? null : task.modifiedAt,
});

/** The entry exploring found at the task's name, as a stat would have answered; undefined for none. */
function foundEntry(task: FileTask): FileEntry | undefined {
  const f = task.found;
  if (!f) return undefined;
  const slash = task.destinationPath.lastIndexOf('/');
  const path =
    f.name === undefined ? task.destinationPath : task.destinationPath.slice(0, slash + 1) + f.name;
  const checksum = f.checksum
    ? { algorithm: f.checksum.algorithm as HashAlgorithm, value: f.checksum.value }
    : null;
  return { ...f, name: f.name ?? path.slice(slash + 1), path, mimeType: null, checksum };
}

const withoutFound = ({ found: _found, ...task }: FileTask): FileTask => task;

const brief = (e: FileEntry) => ({ id: e.id, type: e.type });

/** The destination, its write at `path` given what exploring learned (`hints`) so that it need not look. */
function knowing(destination: Connector, path: string, hints: Partial<WriteOptions>): Connector {
  return Object.assign(Object.create(destination) as Connector, {
    write: (p: string, data: Readable, options: WriteOptions) =>
      destination.write(p, data, p === path ? { ...options, ...hints } : options),
  });
}

async function statOrUndefined(connector: Connector, path: string) {
  try {
    return await connector.stat(path);
  } catch (err) {
    if (isConnectorError(err, 'not_found')) return undefined;
    throw err;
  }
}

function describe(kind: string, message: string): string {
  switch (kind) {
    case 'not_found':
      return `The source file no longer exists: ${message}`;
    case 'permission_denied':
      return `Permission denied: ${message}`;
    default:
      return message;
  }
}
