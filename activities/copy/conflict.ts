// What a copy does when its destination name is taken by a file (the `conflict` option):
//   skip       keep the destination's file;
//   overwrite  replace it;
//   newer      replace it only when the source is newer (see `newerVerdict`);
//   rename     copy beside it as "name (1).ext", "name (2).ext"… — the first number free at the
//              destination. A file at the name, or at a numbered name, whose content equals the
//              source's is this file already copied (by an earlier attempt whose outcome was lost, or
//              an earlier run): the copy is skipped, so retries and re-runs never add duplicates.
import type { Readable } from 'node:stream';
import { createHasher } from '../../common/hashing';
import {
  ConnectorError,
  isConnectorError,
  type Connector,
  type FileEntry,
  type HashAlgorithm,
} from '../../connectors/types';
import type { ConflictPolicy, FileTask } from '../../contract';

/**
 * Write the file at `path` (replacing what is there, or failing if something is), or skip it;
 * `identical` is the destination's file found to hold the source's bytes, when one was compared.
 */
export type WritePlan = { path: string; overwrite: boolean } | { skip: string; identical?: FileEntry };

export interface ConflictContext {
  source: Connector;
  destination: Connector;
  conflict: ConflictPolicy;
}

/** Numbered names tried beside a taken one before the file fails. */
const MAX_RENAMES = 999;

/** Where and how to write `task`, given the file the destination holds at its path (if any). */
export async function planWrite(
  ctx: ConflictContext,
  task: FileTask,
  existing: FileEntry | undefined,
): Promise<WritePlan> {
  const path = task.destinationPath;
  if (!existing) return { path, overwrite: ctx.conflict === 'overwrite' };
  switch (ctx.conflict) {
    case 'overwrite':
      return { path, overwrite: true };
    case 'newer': {
      const older = newerVerdict(task, existing);
      return older ? { skip: older } : { path, overwrite: true };
    }
    case 'rename':
      return renamePlan(ctx, task, existing);
    default:
      return { skip: 'A file with this name already exists at the destination (conflict: "skip")' };
  }
}

/**
 * Under `newer`: null when the source replaces the destination's file, else why not. Times compare
 * to the second (Dropbox keeps no more): a later source time replaces, an earlier one keeps the
 * destination's file. Equal times, or a time unknown on either side, replace only when both sizes
 * are known and differ.
 */
export function newerVerdict(
  source: Pick<FileTask, 'modifiedAt' | 'size'>,
  destination: Pick<FileEntry, 'modifiedAt' | 'size'>,
): string | null {
  const from = seconds(source.modifiedAt);
  const to = seconds(destination.modifiedAt);
  const why = ' (conflict: "newer")';
  if (from !== null && to !== null) {
    if (from > to) return null;
    if (from < to) {
      return `The destination's file is newer (modified ${destination.modifiedAt}, the source ${source.modifiedAt})${why}`;
    }
  }
  if (source.size !== null && destination.size !== null && source.size !== destination.size) return null;
  return from !== null && to !== null
    ? `The destination's file has the same modification time and size${why}`
    : `The destination's file has the same size and the modification times are unknown${why}`;
}

function seconds(iso: string | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** "/a/report.pdf", 2 → "/a/report (2).pdf"; ".bashrc" → ".bashrc (2)"; "x.tar.gz" → "x.tar (2).gz". */
export function numberedPath(path: string, n: number): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${folder}${stem} (${n})${ext}`;
}

async function renamePlan(ctx: ConflictContext, task: FileTask, existing: FileEntry): Promise<WritePlan> {
  for (let n = 0; n <= MAX_RENAMES; n++) {
    const path = n === 0 ? task.destinationPath : numberedPath(task.destinationPath, n);
    const taken = n === 0 ? existing : await statOrUndefined(ctx.destination, path);
    if (!taken) return { path, overwrite: false };
    if (taken.type === 'file' && (await sameContent(ctx, task, taken))) {
      return {
        skip: `An identical file is already at the destination: ${path} (conflict: "rename")`,
        identical: { ...taken, path },
      };
    }
  }
  throw new ConnectorError(
    'fatal_file',
    `${task.destinationPath} and ${MAX_RENAMES} numbered names beside it are taken (conflict: "rename")`,
  );
}

/**
 * The destination's file holds the source's bytes: same size, then the same hash in the algorithm
 * the destination reports (the source is read to compute it), or — where it reports none (local) —
 * the same bytes on both sides.
 */
export async function sameContent(ctx: ConflictContext, task: FileTask, file: FileEntry): Promise<boolean> {
  if (task.size !== null && file.size !== task.size) return false;
  const source = () => ctx.source.openRead(task.sourcePath, { id: task.sourceId });
  if (file.checksum) {
    const digest = await digestOf(await source(), file.checksum.algorithm);
    return file.checksum.algorithm === 'quickxor'
      ? digest === file.checksum.value
      : digest.toLowerCase() === file.checksum.value.toLowerCase();
  }
  const [a, b] = await Promise.all([
    source().then((s) => digestOf(s, 'sha256')),
    ctx.destination.openRead(file.path).then((s) => digestOf(s, 'sha256')),
  ]);
  return a === b;
}

async function digestOf(input: Readable, algorithm: HashAlgorithm): Promise<string> {
  const hasher = createHasher(algorithm);
  try {
    for await (const chunk of input) hasher.update(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  } finally {
    input.destroy();
  }
  return hasher.digest();
}

async function statOrUndefined(connector: Connector, path: string): Promise<FileEntry | undefined> {
  try {
    return await connector.stat(path);
  } catch (err) {
    if (isConnectorError(err, 'not_found')) return undefined;
    throw err;
  }
}
