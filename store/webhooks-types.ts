// The webhook records and their repository contract, beside store/webhooks.ts that implements it.
import type { Page, PageRequest } from './paging';
import type { DeliveredEventType, WebhookEventType } from '../contract';

export interface Webhook {
  id: string;
  accountId: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEvent {
  id: string;
  accountId: string;
  type: DeliveredEventType;
  /** The exact JSON body each delivery sends. */
  payload: string;
  createdAt: string;
}

/** `pending` until an attempt succeeds (`delivered`) or retries end (`failed`). */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  accountId: string;
  webhookId: string;
  eventId: string;
  eventType: DeliveredEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  lastAttemptAt: string | null;
  finishedAt: string | null;
}

export interface WebhookDeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  createdAt: string;
}

export interface WebhooksRepo {
  create(input: {
    /** Pre-generated (`newId('wh')`), so the secret can be sealed bound to it. */
    id: string;
    accountId: string;
    url: string;
    events: WebhookEventType[];
    description: string | null;
    /** The sealed signing secret; read back only through `readSecret`. */
    secret: string;
  }): Promise<Webhook>;
  get(accountId: string, id: string): Promise<Webhook | undefined>;
  /** Oldest first. */
  list(accountId: string, page: PageRequest): Promise<Page<Webhook>>;
  /** Deletes the endpoint with its deliveries; false if the account has no such endpoint. */
  delete(accountId: string, id: string): Promise<boolean>;
  readSecret(accountId: string, id: string): Promise<string | null>;
  /** The account's endpoints subscribed to this event type. */
  subscribers(accountId: string, type: WebhookEventType): Promise<Webhook[]>;
  /**
   * Records the event (once per id) and one delivery to each of these endpoints (once per endpoint and
   * event), in one transaction; answers the event's deliveries to them, new or recorded before.
   */
  publish(event: WebhookEvent, webhookIds: string[]): Promise<WebhookDelivery[]>;
  getDelivery(accountId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** What a delivery sends: its event's body and its endpoint (undefined once either is gone). */
  loadForSending(
    accountId: string,
    deliveryId: string,
  ): Promise<{ delivery: WebhookDelivery; event: WebhookEvent; webhook: Webhook } | undefined>;
  /**
   * Records one attempt (the same attempt number again replaces it) and sets the delivery's status;
   * a delivered delivery stays delivered.
   */
  recordAttempt(
    accountId: string,
    deliveryId: string,
    attempt: WebhookDeliveryAttempt,
    status: WebhookDeliveryStatus,
  ): Promise<void>;
  /** Ends a delivery whose retries ran out (unless it ended meanwhile); true when this ended it. */
  markFailed(accountId: string, deliveryId: string, reason: string): Promise<boolean>;
  /** Newest first. */
  listDeliveries(accountId: string, webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
  /** In order. */
  listAttempts(accountId: string, deliveryId: string): Promise<WebhookDeliveryAttempt[]>;
}
