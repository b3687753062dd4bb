// Webhook events: their types and payloads, what workflows hand the publish activities, and what a
// delivery workflow takes. Pure constants and types: safe in workflow code.

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

/** migration.progress at most this often per migration. */
export const PROGRESS_EVENT_INTERVAL_MS = 60_000;

/** The delivery workflow's input (workflows/webhook-delivery.ts). */
export interface WebhookDeliveryInput {
  accountId: string;
  deliveryId: string;
  /** First retry delay; doubles up to an hour, for 24 hours in all. */
  retryInitialSeconds: number;
  /** Per-attempt limit the activity's HTTP request keeps to (the activity timeout adds a margin). */
  attemptTimeoutSeconds: number;
  /** Where the delivery's activities run, when not on the workflow's own queue (the webhook queue). */
  activityTaskQueue?: string;
}

/** One delivery attempt (activities/webhooks). */
export interface DeliverRequest {
  accountId: string;
  deliveryId: string;
  attemptTimeoutSeconds: number;
}
