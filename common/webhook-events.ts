// Webhook event types and the names shared by the API, the worker and workflow code.
// Pure constants and types: safe to import in workflows.

export const WEBHOOK_EVENT_TYPES = [
  'migration.started',
  'migration.progress',
  'migration.paused',
  'migration.resumed',
  'migration.completed',
  'migration.completed_with_errors',
  'migration.failed',
  'migration.cancelled',
  'sync.run_started',
  'connection.needs_reauth',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by POST /v1/webhooks/:id/test, to that one endpoint (nobody subscribes to it). */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export type DeliveredEventType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

export const isWebhookEventType = (v: unknown): v is WebhookEventType =>
  typeof v === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(v);

/** What a receiver gets as the request body. */
export interface WebhookEventPayload {
  id: string;
  type: DeliveredEventType;
  created_at: string;
  data: Record<string, unknown>;
}

/** The publishEvent activity's input (from any workflow). */
export interface PublishEventInput {
  accountId: string;
  type: WebhookEventType;
  /** The event's `data`: snake_case, as the API shows things. */
  data: Record<string, unknown>;
}

/** A migration event: the activity reads the migration from the store and presents it as `data`. */
export interface PublishMigrationEventInput {
  accountId: string;
  migrationId: string;
  type: Extract<WebhookEventType, `migration.${string}`>;
}

/**
 * Attempts of a publish activity. The last one logs and swallows its error, so publishing can never
 * fail the workflow that publishes (a timeout still can: workflows catch it too).
 */
export const PUBLISH_MAX_ATTEMPTS = 5;

/** Delivery workflows and their activities run on their own queue, so receivers never hold up migrations. */
export const webhookTaskQueue = (migrationTaskQueue: string) => `${migrationTaskQueue}-webhooks`;

export const webhookDeliveryWorkflowId = (deliveryId: string) => `webhook-delivery-${deliveryId}`;

export const WEBHOOK_DELIVERY_WORKFLOW_TYPE = 'webhookDeliveryWorkflow';

/** Failure types of a delivery attempt (activities/webhooks.ts); all but `retryable` end the delivery. */
export const WEBHOOK_FAILURES = {
  /** The receiver answered something retrying will not change (a 4xx other than 429, a redirect). */
  refusedByReceiver: 'WebhookRefusedByReceiver',
  /** The outbound policy refuses the target (private, loopback, metadata…). */
  targetRefused: 'WebhookTargetRefused',
  /** The endpoint (or its event) was deleted. */
  gone: 'WebhookGone',
  /** Worth another attempt: timeout, connection error, 5xx, 429. */
  retryable: 'WebhookRetryable',
} as const;

export const FINAL_WEBHOOK_FAILURES: string[] = [
  WEBHOOK_FAILURES.refusedByReceiver,
  WEBHOOK_FAILURES.targetRefused,
  WEBHOOK_FAILURES.gone,
];

/** migration.progress at most this often per migration. */
export const PROGRESS_EVENT_INTERVAL_MS = 60_000;
