// The ids a job's log lines carry on the worker: its account, migration and sync (the workflow id is
// the SDK's). A workflow reads them from its input and hands them to its activities in a header.
export const LOG_IDS_HEADER = 'migrateclouds-log-ids';

export interface JobLogIds {
  accountId?: string;
  migrationId?: string;
  syncId?: string;
}

const MIGRATION_WORKFLOW_ID = /^migration-(.+)$/;

/** A migration's workflow id names it (see migrationWorkflowId). */
export const migrationIdOf = (workflowId: string | undefined): string | undefined =>
  workflowId ? MIGRATION_WORKFLOW_ID.exec(workflowId)?.[1] : undefined;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * The ids in a workflow's input (every workflow takes one object naming its account; a sync's
 * migration names its sync under `incremental`), or in a header's value. Only strings are taken.
 */
export function jobLogIds(value: unknown): JobLogIds {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const incremental = v.incremental as Record<string, unknown> | undefined;
  const ids: JobLogIds = {
    accountId: text(v.accountId),
    migrationId: text(v.migrationId),
    syncId: text(v.syncId) ?? text(incremental?.syncId),
  };
  for (const key of Object.keys(ids) as (keyof JobLogIds)[]) if (ids[key] === undefined) delete ids[key];
  return ids;
}
