// Temporal names shared by api, worker, scripts and tests. Pure constants: safe in workflow code.

export const TASK_QUEUE = 'migrations';
export const DEFAULT_NAMESPACE = 'default';

/** Search attributes registered when the dev server starts (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  accountId: 'MigrationAccountId',
  sourceService: 'MigrationSourceService',
  destinationService: 'MigrationDestinationService',
} as const;

export const migrationWorkflowId = (migrationId: string) => `migration-${migrationId}`;
export const syncScheduleId = (syncId: string) => `sync-${syncId}`;
