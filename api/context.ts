// What every resource works with: the outside world (ApiDeps) and the services built once per app —
// the webhook publisher for events the API itself causes (a migration cancelled before its workflow
// ran, a webhook's test event, a connection found revoked), and the connector opener.
import { openConnector, type Connector } from '../connectors';
import { TASK_QUEUE, webhookTaskQueue } from '../contract';
import { createWebhookPublisher, needsReauthNotifier, type WebhookPublisher } from '../events';
import type { Connection } from '../store/types';
import type { ApiDeps } from './deps';

export interface ApiContext extends ApiDeps {
  /** Publishes through the same durable webhook deliveries as the worker's. */
  publisher: WebhookPublisher;
  /** Opens a connection's connector for an API call; a refused refresh token publishes connection.needs_reauth. */
  openConnector(connection: Connection): Promise<Connector>;
}

export function createApiContext(deps: ApiDeps): ApiContext {
  const taskQueue = deps.temporal.taskQueue ?? TASK_QUEUE;
  const publisher = createWebhookPublisher({
    store: deps.store,
    client: deps.temporal.client,
    taskQueue: webhookTaskQueue(taskQueue),
    workflowTaskQueue: taskQueue,
    retryInitialSeconds: deps.config.MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS,
    attemptTimeoutSeconds: deps.config.MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS,
  });
  const notify = needsReauthNotifier(deps.store, publisher);
  return {
    ...deps,
    publisher,
    openConnector: (c) =>
      openConnector(c, {
        credentials: deps.store.connections,
        config: deps.config,
        box: deps.box,
        budgets: deps.budgets,
        onNeedsReauth: notify(c),
        grants: deps.store.localGrants,
      }),
  };
}
