// A copy whose earlier try may have landed. A write can reach the destination while its outcome is
// lost: the worker was killed before it heartbeated the file, or the connection reset after the
// service had stored it. The next try then finds the file at the destination — and must count it as
// copied, not as a conflict (skipped) nor write it again (a duplicate where names may repeat).
//
// It is this copy's own write when it holds the source's bytes (same size and hash, see conflict.ts)
// and was created since the batch was first scheduled (where the destination reports a creation
// time; Dropbox reports none, so there the content decides). Only files a previous try may have
// written are looked at: tries after a failed one, and every file of a retried batch attempt, so an
// ordinary conflict never costs the extra read of the source.
import type { FileEntry } from '../../connectors/types';
import { sameContent, type ConflictContext } from './conflict';
import type { FileOutcome, FileTask } from '../../contract';

/** Clocks of the service and of Temporal may disagree by this much. */
const CLOCK_SKEW_MS = 60_000;

/** When a previous try of a file may have written it: the batch's first scheduled time (ms). */
export interface EarlierTry {
  sinceMs: number;
}

/** The copied outcome when `file` is what an earlier try of this copy wrote, else null. */
export async function earlierWrite(
  ctx: ConflictContext,
  task: FileTask,
  file: FileEntry | undefined,
  earlier: EarlierTry,
  identical = false,
): Promise<FileOutcome | null> {
  if (!file || file.type !== 'file') return null;
  const created = file.createdAt ? Date.parse(file.createdAt) : NaN;
  if (!Number.isNaN(created) && created < earlier.sinceMs - CLOCK_SKEW_MS) return null;
  if (!identical && !(await sameContent(ctx, task, file))) return null;
  return {
    status: 'copied',
    bytes: file.size ?? task.size ?? 0,
    ...(file.path !== task.destinationPath ? { path: file.path } : {}),
  };
}
