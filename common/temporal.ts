// Temporal names shared by api, worker, scripts and tests. Pure (only @temporalio/common): safe in
// workflow code.
import { defineSearchAttributeKey } from '@temporalio/common';

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

const ACCOUNT_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.accountId, 'KEYWORD');
const SOURCE_SERVICE_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.sourceService, 'KEYWORD');
const DESTINATION_SERVICE_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.destinationService, 'KEYWORD');

interface Endpoint {
  service: string;
  path: string;
}

/**
 * How operators find a migration, a sync's schedule or its runs in the Web UI: the search attributes
 * (registered on the server) and a memo naming both ends (and the sync, for a sync's).
 */
export function jobVisibility(job: {
  accountId: string;
  source: Endpoint;
  destination: Endpoint;
  syncId?: string | null;
}) {
  return {
    typedSearchAttributes: [
      { key: ACCOUNT_ID_KEY, value: job.accountId },
      { key: SOURCE_SERVICE_KEY, value: job.source.service },
      { key: DESTINATION_SERVICE_KEY, value: job.destination.service },
    ],
    memo: {
      source: `${job.source.service}:${job.source.path}`,
      destination: `${job.destination.service}:${job.destination.path}`,
      ...(job.syncId ? { sync: job.syncId } : {}),
    },
  };
}
