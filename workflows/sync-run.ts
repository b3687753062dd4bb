// One run of a recurring sync, started by its Temporal Schedule (or a trigger): record the run as a
// migration, run the migration workflow as a child under the migration's own workflow id (so the
// migration endpoints steer it as any other), then keep the change-feed cursor of a completed run.
import {
  ParentClosePolicy,
  executeChild,
  isCancellation,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import { base62FromHex } from '../common/base62';
import { eventActivities } from './proxies';
import { migrationWorkflow } from './migration';
import {
  type MigrationActivities,
  jobVisibility,
  migrationWorkflowId,
  type MigrationStatus,
  type MigrationWorkflowInput,
  type SyncRunInput,
  type SyncRunResult,
} from '../contract';

const syncStore = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 50 },
});

export async function syncRunWorkflow(input: SyncRunInput): Promise<SyncRunResult> {
  const { syncId, accountId } = input;
  // Deterministic (the workflow's seeded uuid): a replay or a retried activity names the same migration.
  const migrationId = `mig_${base62FromHex(uuid4().replace(/-/g, ''), 20)}`;
  const run = await syncStore.startSyncRun({ syncId, accountId, migrationId });
  if (!run) return { migrationId: null, status: 'skipped' };

  const endpoint = (e: typeof run.source) => ({
    connection_id: e.connectionId,
    service: e.service,
    path: e.path,
  });
  try {
    await eventActivities.publishEvent({
      accountId,
      type: 'sync.run_started',
      data: {
        sync_id: syncId,
        migration_id: run.migrationId,
        source: endpoint(run.source),
        destination: endpoint(run.destination),
      },
    });
  } catch {
    // An event is never worth failing a run for (the activity already gives up quietly).
  }

  const migrationInput: MigrationWorkflowInput = {
    migrationId: run.migrationId,
    accountId,
    source: run.source,
    destination: run.destination,
    options: run.options,
    incremental: { syncId, cursor: run.cursor },
  };
  let status: MigrationStatus;
  let cursor: string | null = null;
  try {
    const result = await executeChild(migrationWorkflow, {
      workflowId: migrationWorkflowId(run.migrationId),
      args: [migrationInput],
      // Ending this workflow (an operator's terminate) must not take the migration with it: it records
      // its own status, and GET /v1/migrations/{id} steers it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      ...jobVisibility({ accountId, source: run.source, destination: run.destination, syncId }),
    });
    status = result.status;
    cursor = result.cursor ?? null;
  } catch (err) {
    // Failed or cancelled: the migration has recorded why; the cursor stays where it was.
    return { migrationId: run.migrationId, status: isCancellation(err) ? 'cancelled' : 'failed' };
  }
  await syncStore.finishSyncRun({ syncId, migrationId: run.migrationId, status, cursor });
  return { migrationId: run.migrationId, status };
}
