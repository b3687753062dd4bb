// Row shapes of every table as stored (snake_case, times as ISO-8601 UTC text, JSON as text).
// Only store/ sees these; repositories map them to the records in types.ts.
import type { Generated, Kysely } from 'kysely';

export interface AccountsTable {
  id: string;
  name: string;
  plan: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  /** SHA-256 hex of the plaintext key; the plaintext itself is never stored. */
  key_hash: string;
  /** What the key may do: read, write or admin (store/api-keys.ts). */
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ConnectionsTable {
  id: string;
  account_id: string;
  service: string;
  name: string;
  config: string;
  secrets: string | null;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface MigrationsTable {
  id: string;
  account_id: string;
  source: string;
  destination: string;
  source_service: string;
  destination_service: string;
  options: string;
  workflow_id: string;
  status: string;
  progress: string;
  error: string | null;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The recurring sync that started it (0005_syncs); null for a one-off migration. */
  sync_id: string | null;
}

export interface MigrationItemsTable {
  /** Assigned on first insert (kept by later upserts): the stable order of the item lists. */
  seq: Generated<number | string>;
  migration_id: string;
  account_id: string;
  /** SHA-256 (base64url) of the file's identity (source_id, else source_path): a bounded unique key. */
  item_key: string;
  source_path: string;
  source_id: string | null;
  destination_path: string | null;
  /** PostgreSQL answers bigint columns as strings. */
  size: number | string | null;
  status: string;
  reason: string | null;
  /** The reason with its per-file parts replaced (store/reason-group.ts); null before schema 0013. */
  reason_group: string | null;
  note: string | null;
  updated_at: string;
}

export interface MigrationNamesTable {
  migration_id: string;
  account_id: string;
  /** SHA-256 (base64url) of the destination folder's path. */
  folder_key: string;
  /** SHA-256 (base64url) of the name's comparison key. */
  name_key: string;
  source_id: string;
}

export interface MigrationFrontierTable {
  migration_id: string;
  account_id: string;
  /** Position in the spilled stack, 0 at the bottom; PostgreSQL answers bigint as a string. */
  seq: number | string;
  path: string;
  page_token: string | null;
  item_id: string | null;
  destination: string | null;
  note: string | null;
  fail: string | null;
  /** 1: compare the folder's own entries only (FrontierEntry.shallow). */
  shallow: number | null;
}

/** Webhook endpoints (0004_webhooks). */
export interface WebhooksTable {
  id: string;
  account_id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  description: string | null;
  /** The signing secret, sealed (common/secret-box.ts) bound to the webhook id. */
  secret: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookEventsTable {
  id: string;
  account_id: string;
  type: string;
  /** The JSON body every delivery of this event sends. */
  payload: string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  account_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  last_attempt_at: string | null;
  finished_at: string | null;
}

export interface WebhookDeliveryAttemptsTable {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  created_at: string;
}

/** Recurring syncs (0005_syncs): a migration run on a Temporal Schedule `sync-<id>`. */
export interface SyncsTable {
  id: string;
  account_id: string;
  source: string;
  destination: string;
  options: string;
  /** JSON: {"cron": "…"} or {"interval": "…"}. */
  schedule: string;
  timezone: string;
  /** 0/1 (SQLite has no boolean). */
  paused: number;
  /** The change-feed cursor the last completed run left, opaque to the store. */
  cursor: string | null;
  last_migration_id: string | null;
  created_at: string;
  updated_at: string;
  /** POST /v1/syncs's Idempotency-Key, unique per account (0007_sync_idempotency). */
  idempotency_key: string | null;
  /** Digest of the request that key came with, to tell a retry from a different request. */
  idempotency_fingerprint: string | null;
}

/** Where each source item of a sync was last seen, by the service's id (0006_sync_state). */
export interface SyncEntriesTable {
  sync_id: string;
  account_id: string;
  /** SHA-256 (base64url) of item_id: a bounded key. */
  item_key: string;
  item_id: string;
  path: string;
  /** 0/1. */
  folder: number;
}

/** What a mirror-mode run would delete at the destination, gathered before anything is deleted. */
export interface MigrationDeletionsTable {
  migration_id: string;
  account_id: string;
  /** SHA-256 (base64url) of destination_path. */
  path_key: string;
  destination_path: string;
  source_path: string;
  folder: number;
  /** Files it holds (1 for a file); PostgreSQL answers bigint as a string. */
  files: number | string;
  /** 1 once a folder candidate above it makes it redundant. */
  covered: number;
}

export interface LocalGrantsTable {
  account_id: string;
  root: string;
  created_at: string;
}

export interface OAuthStatesTable {
  /** SHA-256 (hex) of the state; the state itself is never stored. */
  state_hash: string;
  account_id: string;
  service: string;
  connection_id: string;
  reauthorize: number;
  name: string | null;
  /** The PKCE code_verifier, sealed with the secret box. */
  verifier: string;
  /** SHA-256 (hex) of the nonce in the cookie of the browser that opened the start URL; null until then. */
  browser_hash: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A migration's copy batches (0012_migration_batches, store/batches.ts). */
export interface MigrationBatchesTable {
  migration_id: string;
  account_id: string;
  /** The workflow's number for the exploration that found the files; PostgreSQL answers bigint as a string. */
  exploration: number | string;
  part: number;
  /** The batch's FileTask[] as JSON. */
  files: string;
  /** Which copy activity attempt holds the batch, and until when (ms since the epoch). */
  claimed_by: string | null;
  claimed_until: number | string | null;
}

/** Console users (0014_users_sessions, store/users.ts). */
export interface UsersTable {
  id: string;
  account_id: string;
  /** Lower-cased: unique case-insensitively across every account (sign-in asks for no account). */
  email: string;
  /** scrypt, versioned (common/password-hash.ts); null until the user chooses one. */
  password_hash: string | null;
  role: string;
  created_at: string;
}

/** Console sessions (store/sessions.ts): only the SHA-256 of the cookie's token is kept. */
export interface SessionsTable {
  id: string;
  token_hash: string;
  account_id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end; the idle end is last_seen_at plus the idle timeout. */
  expires_at: string;
  revoked_at: string | null;
}

/** One-time sign-in links and invites (store/login-tokens.ts), kept as SHA-256 of the token. */
export interface LoginTokensTable {
  token_hash: string;
  account_id: string;
  /** `login` (sign in as user_id) or `invite` (become a new user with email and role). */
  purpose: string;
  user_id: string | null;
  email: string | null;
  role: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  connections: ConnectionsTable;
  migrations: MigrationsTable;
  migration_items: MigrationItemsTable;
  migration_frontier: MigrationFrontierTable;
  migration_batches: MigrationBatchesTable;
  migration_names: MigrationNamesTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  syncs: SyncsTable;
  sync_entries: SyncEntriesTable;
  migration_deletions: MigrationDeletionsTable;
  local_grants: LocalGrantsTable;
  oauth_states: OAuthStatesTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_tokens: LoginTokensTable;
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
