// The API's side of the migration workflow: start it (idempotently), read its live progress, pause,
// resume or cancel it.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Migration } from '../../store/types';
import {
  jobPriority,
  jobVisibility,
  TASK_QUEUE,
  MIGRATION_WORKFLOW_TYPE,
  pauseSignal,
  progressQuery,
  resumeSignal,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
} from '../../contract';

/** A live query must not hold a request for long (no worker, a busy workflow): fall back to the store. */
const QUERY_DEADLINE_MS = 2_000;
/** The SDK retries an unreachable server for a long time; an HTTP request should not wait that long. */
const START_DEADLINE_MS = 5_000;
const SIGNAL_DEADLINE_MS = 5_000;

/** Starts the migration's workflow; starting it again (a retried POST) attaches to the same run. */
export async function startMigrationWorkflow(
  client: Client,
  m: Migration,
  taskQueue: string = TASK_QUEUE,
): Promise<void> {
  const input: MigrationWorkflowInput = {
    migrationId: m.id,
    accountId: m.accountId,
    source: m.source,
    destination: m.destination,
    options: m.options,
  };
  const start = () =>
    client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: m.workflowId,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      ...jobVisibility(m),
      ...jobPriority(m.accountId),
    });
  await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, start);
}

/** Whether Temporal has the migration's workflow: `unknown` when it cannot be asked now. */
export async function workflowState(
  client: Client,
  m: Migration,
): Promise<'started' | 'missing' | 'unknown'> {
  try {
    await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(m.workflowId).describe(),
    );
    return 'started';
  } catch (err) {
    return err instanceof WorkflowNotFoundError ? 'missing' : 'unknown';
  }
}

/** The workflow's own view of its progress, or undefined when it cannot answer now. */
export async function queryMigration(client: Client, m: Migration): Promise<MigrationSnapshot | undefined> {
  try {
    return await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(m.workflowId).query(progressQuery),
    );
  } catch {
    return undefined;
  }
}

export async function cancelMigrationWorkflow(client: Client, m: Migration): Promise<void> {
  await client.workflow.getHandle(m.workflowId).cancel();
}

/**
 * Pauses or resumes the migration's workflow. A signal is recorded by the server even when no worker
 * runs (it takes effect when one does), which an Update could not promise: it needs a worker to answer.
 */
export async function signalMigrationWorkflow(
  client: Client,
  m: Migration,
  action: 'pause' | 'resume',
): Promise<void> {
  const handle = client.workflow.getHandle(m.workflowId);
  await client.connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
    handle.signal(action === 'pause' ? pauseSignal : resumeSignal),
  );
}
