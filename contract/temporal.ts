// Every Temporal name the API, the worker, scripts and tests share: task queues, workflow types and
// ids, signals and queries, search attributes. Pure (only @temporalio/common and workflow definitions):
// safe in workflow code.
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ServiceName } from './services';
import type { MigrationSnapshot } from './migration';

export const DEFAULT_NAMESPACE = 'default';

// --- Task queues ---
/** Migration and sync workflows with their activities (MIGRATECLOUDS_TASK_QUEUE overrides it). */
export const TASK_QUEUE = 'migrations';
/** Webhook delivery attempts run on a queue of their own, so receivers never hold up migrations. */
export const webhookTaskQueue = (migrationTaskQueue: string) => `${migrationTaskQueue}-webhooks`;

// --- Workflow types and ids ---
export const MIGRATION_WORKFLOW_TYPE = 'migrationWorkflow';
export const SYNC_RUN_WORKFLOW_TYPE = 'syncRunWorkflow';
export const WEBHOOK_DELIVERY_WORKFLOW_TYPE = 'webhookDeliveryWorkflow';

export const migrationWorkflowId = (migrationId: string) => `migration-${migrationId}`;
export const syncScheduleId = (syncId: string) => `sync-${syncId}`;
export const webhookDeliveryWorkflowId = (deliveryId: string) => `webhook-delivery-${deliveryId}`;

// --- Signals and queries of the migration workflow ---
export const progressQuery = defineQuery<MigrationSnapshot>('progress');
/** Pause holds the migration between files (copies in flight finish); resume lets it go on. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** A running slot of the migration's account may have freed: a queued migration asks for it again. */
export const slotFreedSignal = defineSignal('slot-freed');

// --- Search attributes and memo ---
/** Registered when the dev server starts (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  accountId: 'MigrationAccountId',
  sourceService: 'MigrationSourceService',
  destinationService: 'MigrationDestinationService',
} as const;

export const ACCOUNT_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.accountId, 'KEYWORD');
const SOURCE_SERVICE_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.sourceService, 'KEYWORD');
const DESTINATION_SERVICE_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.destinationService, 'KEYWORD');

interface Endpoint {
  service: ServiceName;
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

/**
 * Every job of an account shares one fairness key (activities and child workflows inherit it): where
 * tasks wait in a task queue, the server dispatches them in turn between accounts, not first come first
 * served, so one account's backlog cannot hold another's back. Needs `matching.enableFairness` on the
 * server (the dev server, `npm run cluster` and docker-compose.yml turn it on); ignored without it.
 */
export const jobPriority = (accountId: string) => ({ priority: { fairnessKey: accountId } });
