// Publishing an event: the event and one delivery per subscribed endpoint are written to the store
// first, then a delivery workflow is started per delivery (workflow id from the delivery id, never
// reused), on the webhook task queue. Publishing the same event id again writes nothing new and starts
// nothing twice. Used by the publish activities (worker) and by POST /v1/webhooks/:id/test (API).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { newId } from '../common/ids';
import type { Store, WebhookDelivery } from '../store/types';
import {
  WEBHOOK_DELIVERY_WORKFLOW_TYPE,
  type WebhookDeliveryInput,
  type WebhookEventType,
  webhookDeliveryWorkflowId,
  type DeliveredEventType,
  type WebhookEventPayload,
} from '../contract';

export interface PublishRequest {
  accountId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The same id publishes the same event only once (a retried activity); random when absent. */
  eventId?: string;
}

export interface EventPublisher {
  /** Records the event and its deliveries and starts their workflows; answers how many deliveries. */
  publish(request: PublishRequest): Promise<{ eventId: string; deliveries: number }>;
}

export interface PublisherDeps {
  store: Store;
  client: Client;
  /** The webhook task queue (webhookTaskQueue(MIGRATECLOUDS_TASK_QUEUE)): where attempts run. */
  taskQueue: string;
  /**
   * Where the delivery workflows run (the migrations queue, whose worker holds the workflow code); by
   * default the webhook queue. Attempts stay on the webhook queue either way.
   */
  workflowTaskQueue?: string;
  retryInitialSeconds: number;
  attemptTimeoutSeconds: number;
}

/** A start must not hold a publish (or an HTTP request) long when Temporal is unreachable. */
const START_DEADLINE_MS = 5_000;

export interface WebhookPublisher extends EventPublisher {
  /** Sends one event to the given endpoints only (the test event); answers their deliveries. */
  publishTo(
    accountId: string,
    type: DeliveredEventType,
    data: Record<string, unknown>,
    webhookIds: string[],
  ): Promise<{ eventId: string; deliveries: WebhookDelivery[] }>;
}

export function createWebhookPublisher(deps: PublisherDeps): WebhookPublisher {
  const startDelivery = async (d: WebhookDelivery) => {
    const input: WebhookDeliveryInput = {
      accountId: d.accountId,
      deliveryId: d.id,
      retryInitialSeconds: deps.retryInitialSeconds,
      attemptTimeoutSeconds: deps.attemptTimeoutSeconds,
      ...(deps.workflowTaskQueue ? { activityTaskQueue: deps.taskQueue } : {}),
    };
    try {
      await deps.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        deps.client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW_TYPE, {
          taskQueue: deps.workflowTaskQueue ?? deps.taskQueue,
          workflowId: webhookDeliveryWorkflowId(d.id),
          args: [input],
          // Started once per delivery, ever: a republished event finds it running or closed.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  const publishTo = async (
    accountId: string,
    type: DeliveredEventType,
    data: Record<string, unknown>,
    webhookIds: string[],
    eventId: string = newId('evt'),
  ) => {
    const createdAt = new Date().toISOString();
    const payload: WebhookEventPayload = { id: eventId, type, created_at: createdAt, data };
    // A republished event keeps the body it was first recorded with (same bytes, same signature input).
    const deliveries = await deps.store.webhooks.publish(
      { id: eventId, accountId, type, payload: JSON.stringify(payload), createdAt },
      webhookIds,
    );
    await Promise.all(deliveries.filter((d) => d.status === 'pending').map(startDelivery));
    return { eventId, deliveries };
  };

  return {
    async publish({ accountId, type, data, eventId }: PublishRequest) {
      const subscribers = await deps.store.webhooks.subscribers(accountId, type);
      // Nobody listens: nothing is recorded (progress events would otherwise pile up for no one).
      if (subscribers.length === 0) return { eventId: eventId ?? '', deliveries: 0 };
      const published = await publishTo(
        accountId,
        type,
        data,
        subscribers.map((w) => w.id),
        eventId,
      );
      return { eventId: published.eventId, deliveries: published.deliveries.length };
    },
    publishTo: (accountId, type, data, webhookIds) => publishTo(accountId, type, data, webhookIds),
  };
}
