// A copy of a stored batch (store/batches.ts): its files are loaded from the store, and it is copied
// only while this activity holds the batch's claim. After a continue-as-new the new run schedules the
// batches that were in flight again; a copy of the old run keeps going until its next heartbeat tells it
// that run has closed, and the claim keeps the two from writing the same files at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { BATCH_CLAIM_MS } from '../../store/batches';
import type { MigrationBatchesRepo } from '../../store/types';
import { FAILURE_TYPES, type CopyRequest, type FileTask } from '../../contract';

const CLAIM_POLL_MS = 1_000;

/** Runs `copy` with the batch's files while holding its claim; a request without a batch runs as is. */
export async function withStoredBatch<T>(
  repo: MigrationBatchesRepo,
  request: CopyRequest,
  copy: (files: FileTask[]) => Promise<T>,
): Promise<T> {
  const { batch, migrationId } = request;
  if (!batch || !migrationId) return copy(request.files);
  const activity = Context.current();
  const accountId = request.source.accountId;
  // One owner per activity across its attempts: a retry takes over at once, another run's copy waits.
  const owner = `${activity.info.workflowExecution?.runId}/${activity.info.activityId}`;
  const key = { exploration: batch.exploration, part: batch.part };
  const files = await repo.load(accountId, migrationId, key);
  if (!files) {
    throw ApplicationFailure.nonRetryable(
      `Copy batch ${batch.exploration}.${batch.part} is missing from the store`,
      FAILURE_TYPES.batchMissing,
    );
  }
  while (!(await repo.claim(accountId, migrationId, key, owner, Date.now()))) {
    // Heartbeat what the last attempt left, so a retry still finds it.
    activity.heartbeat(activity.info.heartbeatDetails);
    // Cancelled meanwhile: reported as a cancellation (the SDK recognises the signal's own reason).
    await sleep(CLAIM_POLL_MS, undefined, { signal: activity.cancellationSignal }).catch(() => {
      throw activity.cancellationSignal.reason;
    });
  }
  const renew = setInterval(
    () => void repo.claim(accountId, migrationId, key, owner, Date.now()).catch(() => undefined),
    BATCH_CLAIM_MS / 3,
  );
  try {
    return await copy(files);
  } finally {
    clearInterval(renew);
    await repo.release(accountId, migrationId, key, owner).catch(() => undefined);
  }
}
