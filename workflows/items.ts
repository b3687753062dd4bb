// A copy batch whose retries ran out has not recorded every file's outcome: its files without one
// are recorded as failed, and the migration's counters take what the store holds for the batch (files
// an earlier attempt copied count as copied). Workflow code: the store is reached through an activity.
import { CancellationScope } from '@temporalio/workflow';
import { storeActivities } from './proxies';
import type { BatchRef, RecordedCounts, FileTask, MigrationProgress } from '../contract';

export async function settleExhaustedBatch(
  accountId: string,
  migrationId: string,
  files: FileTask[],
  reason: string,
  stored?: BatchRef,
): Promise<RecordedCounts> {
  // A stored batch's files are read from the store by the activity.
  const batch = stored ? { exploration: stored.exploration, part: stored.part } : undefined;
  // Only what the rows need: the payload stays small.
  const slim = files.map((f) => ({
    sourcePath: f.sourcePath,
    sourceId: f.sourceId,
    note: f.note,
    destinationPath: f.destinationPath,
    size: f.size,
    modifiedAt: null,
  }));
  try {
    // Recorded even while the migration is being cancelled: the report should not lose these files.
    return await CancellationScope.nonCancellable(() =>
      storeActivities.recordExhaustedBatch({
        accountId,
        migrationId,
        files: slim,
        reason,
        ...(batch && { batch }),
      }),
    );
  } catch {
    const failed = stored?.files ?? files.length;
    return { filesCopied: 0, bytesCopied: 0, filesSkipped: 0, bytesSkipped: 0, filesFailed: failed };
  }
}

export function addCounts(progress: MigrationProgress, r: RecordedCounts): void {
  progress.filesCopied += r.filesCopied;
  progress.bytesCopied += r.bytesCopied;
  progress.filesSkipped += r.filesSkipped;
  progress.bytesSkipped += r.bytesSkipped;
  progress.filesFailed += r.filesFailed;
}
