// The store's public contract: records as the rest of the app sees them, and one repository per table group.
// Implementations live beside this file (Kysely over SQLite or PostgreSQL); nothing outside store/ sees SQL.
import type { ServiceName } from '../common/services';
import type { SyncStateRepo } from './sync-state';

export type { DeletionCandidate, SyncEntry, SyncStateRepo } from './sync-state';
import type { WebhooksRepo } from './webhooks-types';

export type * from './webhooks-types';

export type Plan = 'pro' | 'enterprise';

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  accountId: string;
  name: string;
  /** First characters of the key (e.g. "mc_AbC1"), safe to show. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Connection {
  id: string;
  accountId: string;
  service: ServiceName;
  name: string;
  /** Non-secret settings shown to the user (e.g. `{ root }` for local). */
  config: Record<string, unknown>;
  status: 'active' | 'needs_reauth';
  createdAt: string;
  updatedAt: string;
}

export type MigrationStatus =
  'pending' | 'running' | 'paused' | 'completed' | 'completed_with_errors' | 'failed' | 'cancelled';

export const FINAL_STATUSES: readonly MigrationStatus[] = [
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
];

export interface MigrationEndpoint {
  connectionId: string;
  service: ServiceName;
  path: string;
}

export interface MigrationProgress {
  filesDiscovered: number;
  bytesDiscovered: number;
  foldersDiscovered: number;
  filesCopied: number;
  bytesCopied: number;
  filesSkipped: number;
  bytesSkipped: number;
  filesFailed: number;
  /** True once the whole source has been listed. */
  listingComplete: boolean;
  /** Mirror mode (a sync's delete_extraneous): files deleted at the destination; absent before it ran. */
  filesDeleted?: number;
}

export interface Migration {
  id: string;
  accountId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  options: Record<string, unknown>;
  workflowId: string;
  status: MigrationStatus;
  progress: MigrationProgress;
  /** Why a migration failed (or first failure), for humans. */
  error: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The recurring sync that started this run; null for a one-off migration. */
  syncId: string | null;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

export interface PageRequest {
  pageSize: number;
  pageToken?: string | null;
}

export interface AccountsRepo {
  create(input: { name: string; plan: Plan }): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
}

export interface ApiKeysRepo {
  /** Creates a key; the plaintext is returned once and only its SHA-256 is stored. */
  create(input: { accountId: string; name: string }): Promise<{ apiKey: ApiKey; plaintext: string }>;
  /** Resolves a presented plaintext key to its active key record and account (constant-time hash check). */
  authenticate(plaintext: string): Promise<{ apiKey: ApiKey; account: Account } | undefined>;
  list(accountId: string): Promise<ApiKey[]>;
  /** Revokes one of the account's keys; false if it does not exist for that account. */
  revoke(accountId: string, id: string): Promise<boolean>;
}

export interface ConnectionsRepo {
  create(input: {
    /** Pre-generated id (`newId('conn')`), so secrets can be sealed bound to it. */
    id?: string;
    accountId: string;
    service: ServiceName;
    name: string;
    config: Record<string, unknown>;
    /** Encrypted secrets blob; never returned by the reads below, only by `readSecrets`. */
    secrets?: string | null;
  }): Promise<Connection>;
  /** The sealed secrets of the account's connection (null when it has none or does not exist). */
  readSecrets(accountId: string, id: string): Promise<string | null>;
  /** Replaces the sealed secrets (e.g. after a token refresh); false if the connection is gone. */
  updateSecrets(accountId: string, id: string, secrets: string): Promise<boolean>;
  setStatus(accountId: string, id: string, status: Connection['status']): Promise<boolean>;
  /** The account's connection, or undefined (also for another account's id). */
  get(accountId: string, id: string): Promise<Connection | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<Connection>>;
  listByService(accountId: string, service: ServiceName): Promise<Connection[]>;
  delete(accountId: string, id: string): Promise<boolean>;
}

export interface MigrationsRepo {
  create(input: {
    id?: string;
    accountId: string;
    source: MigrationEndpoint;
    destination: MigrationEndpoint;
    options: Record<string, unknown>;
    idempotencyKey?: string | null;
    syncId?: string | null;
  }): Promise<Migration>;
  get(accountId: string, id: string): Promise<Migration | undefined>;
  /** Internal lookup by id alone, for activities (which carry only ids). */
  getById(id: string): Promise<Migration | undefined>;
  findByIdempotencyKey(accountId: string, key: string): Promise<Migration | undefined>;
  /** Newest first; `syncId`: only the runs of that sync. */
  list(
    accountId: string,
    filter: { status?: MigrationStatus; syncId?: string },
    page: PageRequest,
  ): Promise<Page<Migration>>;
  /** Updates status/progress/error; a final status also sets finishedAt, `running` sets startedAt once. */
  update(
    id: string,
    patch: { status?: MigrationStatus; progress?: MigrationProgress; error?: string | null },
  ): Promise<Migration | undefined>;
}

/** What became of one file of a migration (`deleted`: removed at the destination by a sync's mirror mode). */
export type MigrationItemStatus = 'copied' | 'skipped' | 'failed' | 'deleted';

export const MIGRATION_ITEM_STATUSES: readonly MigrationItemStatus[] = [
  'copied',
  'skipped',
  'failed',
  'deleted',
];

export interface MigrationItemOutcome {
  sourcePath: string;
  /** Where the file went (or would have gone); null when no destination was decided. */
  destinationPath: string | null;
  /** Bytes; null when unknown (an exported document that failed). */
  size: number | null;
  status: MigrationItemStatus;
  reason: string | null;
}

export interface MigrationItem extends MigrationItemOutcome {
  migrationId: string;
  updatedAt: string;
}

export interface MigrationItemsRepo {
  /**
   * Upserts outcomes keyed by (migration, source path), in as few statements as the databases allow:
   * recording the same file again replaces its row, never adds one. With `onlyNew`, files already
   * recorded keep their row. Rows of another account are never touched.
   */
  record(
    accountId: string,
    migrationId: string,
    outcomes: MigrationItemOutcome[],
    opts?: { onlyNew?: boolean },
  ): Promise<void>;
  /** The recorded rows among these source paths (any order). */
  find(accountId: string, migrationId: string, sourcePaths: string[]): Promise<MigrationItem[]>;
  /** In the order first recorded. */
  list(
    accountId: string,
    migrationId: string,
    filter: { status?: MigrationItemStatus },
    page: PageRequest,
  ): Promise<Page<MigrationItem>>;
}

/** A folder still to be listed, spilled out of a migration workflow's state; seq 0 is the stack's bottom. */
export interface SpilledFolder {
  seq: number;
  path: string;
  pageToken: string | null;
}

/**
 * The spilled part of migration frontiers, a stack per migration addressed by seq. Every call is
 * idempotent, so activities may be retried: saving writes the same rows again, removing twice removes once.
 */
export interface MigrationFrontierRepo {
  /** Upserts these rows (same seq = same row). */
  save(accountId: string, migrationId: string, folders: SpilledFolder[]): Promise<void>;
  /** Rows with fromSeq ≤ seq < toSeq, by seq. */
  load(accountId: string, migrationId: string, fromSeq: number, toSeq: number): Promise<SpilledFolder[]>;
  /** Deletes the rows with seq ≥ fromSeq (0: all of the migration's). */
  remove(accountId: string, migrationId: string, fromSeq: number): Promise<void>;
}

/** When a sync runs: a 5-field cron expression, or an interval such as "15m" (api/schemas/syncs-schedule.ts). */
export type SyncSchedule = { cron: string } | { interval: string };

export interface Sync {
  id: string;
  accountId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  /** As a migration stores them (MigrationOptions); each run copies them. */
  options: Record<string, unknown>;
  schedule: SyncSchedule;
  /** IANA time zone the schedule is read in. */
  timezone: string;
  paused: boolean;
  /** The change-feed cursor of the last completed run, opaque here; null before the first. */
  cursor: string | null;
  /** The run started last (with its status as recorded), null before the first. */
  lastRun: { migrationId: string; status: MigrationStatus } | null;
  /** The Idempotency-Key it was created with, and a digest of that request (api/routes/syncs-service.ts). */
  idempotencyKey: string | null;
  idempotencyFingerprint: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncsRepo {
  create(input: {
    id?: string;
    accountId: string;
    source: MigrationEndpoint;
    destination: MigrationEndpoint;
    options: Record<string, unknown>;
    schedule: SyncSchedule;
    timezone: string;
    paused: boolean;
    idempotencyKey?: string | null;
    idempotencyFingerprint?: string | null;
  }): Promise<Sync>;
  /** The account's sync created with this Idempotency-Key (create throws `conflict` on a key in use). */
  findByIdempotencyKey(accountId: string, key: string): Promise<Sync | undefined>;
  /** The account's sync, or undefined (also for another account's id). */
  get(accountId: string, id: string): Promise<Sync | undefined>;
  /** Internal lookup by id alone, for activities. */
  getById(id: string): Promise<Sync | undefined>;
  /** Newest first. */
  list(accountId: string, page: PageRequest): Promise<Page<Sync>>;
  update(
    accountId: string,
    id: string,
    patch: {
      options?: Record<string, unknown>;
      schedule?: SyncSchedule;
      timezone?: string;
      paused?: boolean;
    },
  ): Promise<Sync | undefined>;
  /** A run started: it becomes the last run. False when the sync is gone. */
  recordRunStarted(id: string, migrationId: string): Promise<boolean>;
  /**
   * A run completed: keep its cursor, unless a newer run has started meanwhile (then false, as when the
   * sync is gone).
   */
  saveCursor(id: string, migrationId: string, cursor: string | null): Promise<boolean>;
  delete(accountId: string, id: string): Promise<boolean>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  accounts: AccountsRepo;
  apiKeys: ApiKeysRepo;
  connections: ConnectionsRepo;
  migrations: MigrationsRepo;
  items: MigrationItemsRepo;
  frontier: MigrationFrontierRepo;
  syncs: SyncsRepo;
  /** Incremental syncs' id map and mirror-mode deletion candidates (store/sync-state.ts). */
  syncState: SyncStateRepo;
  webhooks: WebhooksRepo;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const emptyProgress = (): MigrationProgress => ({
  filesDiscovered: 0,
  bytesDiscovered: 0,
  foldersDiscovered: 0,
  filesCopied: 0,
  bytesCopied: 0,
  filesSkipped: 0,
  bytesSkipped: 0,
  filesFailed: 0,
  listingComplete: false,
});
