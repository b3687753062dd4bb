// Events the API itself causes (a connection found revoked while browsing or starting a migration),
// published through the same durable webhook deliveries as the worker's.
import { openConnector, type Connector } from '../connectors';
import type { Connection } from '../store/types';
import type { ApiDeps } from './deps';
import { TASK_QUEUE, webhookTaskQueue } from '../contract';
import { needsReauthNotifier, createWebhookPublisher, type WebhookPublisher } from '../events';

export function apiWebhookPublisher(deps: ApiDeps): WebhookPublisher {
  return createWebhookPublisher({
    store: deps.store,
    client: deps.temporal.client,
    taskQueue: webhookTaskQueue(deps.temporal.taskQueue ?? TASK_QUEUE),
    workflowTaskQueue: deps.temporal.taskQueue ?? TASK_QUEUE,
    retryInitialSeconds: deps.config.MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS,
    attemptTimeoutSeconds: deps.config.MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS,
  });
}

/** Opens a connection's connector for an API call; a refused refresh token publishes connection.needs_reauth. */
export function connectorOpener(deps: ApiDeps): (c: Connection) => Promise<Connector> {
  const notify = needsReauthNotifier(deps.store, apiWebhookPublisher(deps));
  return (c) =>
    openConnector(c, {
      credentials: deps.store.connections,
      config: deps.config,
      box: deps.box,
      budgets: deps.budgets,
      onNeedsReauth: notify(c),
    });
}
