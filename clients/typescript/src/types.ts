// Names for the generated schemas, so callers can write `Migration` rather than components['schemas'][…].
import type { components, paths } from './generated/api';

type S = components['schemas'];
export type Account = S['Account'];
export type ApiKey = S['ApiKey'];
export type CreatedApiKey = S['CreatedApiKey'];
export type Connection = S['Connection'];
export type CreateConnectionRequest = S['CreateConnectionRequest'];
export type Authorization = S['Authorization'];
export type FileEntry = S['FileEntry'];
export type Migration = S['Migration'];
export type MigrationItem = S['MigrationItem'];
export type MigrationReport = S['MigrationReport'];
export type MigrationOptions = S['MigrationOptions'];
export type CreateMigrationRequest = S['CreateMigrationRequest'];
export type Sync = S['Sync'];
export type CreateSyncRequest = S['CreateSyncRequest'];
export type UpdateSyncRequest = S['UpdateSyncRequest'];
export type Webhook = S['Webhook'];
export type CreatedWebhook = S['CreatedWebhook'];
export type CreateWebhookRequest = S['CreateWebhookRequest'];
export type WebhookDelivery = S['WebhookDelivery'];
export type WebhookDeliveryDetail = S['WebhookDeliveryDetail'];
export type MigrationStatus = Migration['status'];
export type ItemStatus = NonNullable<
  paths['/v1/migrations/{id}/items']['get']['parameters']['query']
>['status'];

/** Statuses a migration never leaves. */
export const FINAL_STATUSES: readonly MigrationStatus[] = [
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
];

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /** Idempotency-Key: a retried create with the same key answers what the first one made (default: a new UUID). */
  idempotencyKey?: string;
}

export interface PageOptions {
  /** Entries per request (1–1000; default the server's, 100). */
  pageSize?: number;
}
