// The store: Kysely over SQLite (default, one file) or PostgreSQL (scale-out). Schema migrations run on open.
import { sql } from 'kysely';
import type { Logger } from '../common/logger';
import { createAccountsRepo } from './accounts';
import { createApiKeysRepo } from './api-keys';
import { createMigrationBatchesRepo } from './batches';
import { connect, withoutStatementTimeout } from './connect';
import { createConnectionsRepo } from './connections';
import { createMigrationFrontierRepo } from './frontier';
import { createMigrationItemsRepo } from './items';
import { createLocalGrantsRepo } from './local-grants';
import { createOAuthStatesRepo } from './oauth-states';
import { createMigrationsRepo } from './migrations';
import { createMigrationNamesRepo } from './names';
import { migrateToLatest } from './schema';
import { createSyncsRepo } from './syncs';
import { createSyncStateRepo } from './sync-state';
import { createWebhooksRepo } from './webhooks';
import { createSealedSecretsRepo } from './sealed-secrets';
import { createUsersRepo } from './users';
import { createSessionsRepo } from './sessions';
import { createLoginTokensRepo } from './login-tokens';
import type { Store } from './types';

export type * from './types';
export { MIGRATION_ITEM_STATUSES } from './items';
export { dropPgSchema } from './connect';
export { API_KEY_PATTERN, API_KEY_SCOPES, hashApiKey, scopeCovers } from './api-keys';
export { MAX_PAGE_SIZE } from './paging';
export { USER_ROLES, normalizeEmail } from './users';
export { BATCH_CLAIM_MS } from './batches';

export interface StoreOptions {
  logger?: Logger;
  /**
   * PostgreSQL only: keep every table in this schema (created if missing; search_path is set on every
   * pooled connection). Tests use a fresh schema per run and drop it with `dropPgSchema`.
   */
  pgSchema?: string;
  /**
   * PostgreSQL only: the server cancels a statement running longer (DATABASE_STATEMENT_TIMEOUT_SECONDS;
   * default 30, 0 = never). Schema migrations run without it.
   */
  statementTimeoutSeconds?: number;
  /** PostgreSQL only: connections the pool keeps at most. */
  poolMax?: number;
}

export async function createStore(databaseUrl: string, opts: StoreOptions = {}): Promise<Store> {
  const connected = await connect(databaseUrl, {
    pgSchema: opts.pgSchema,
    statementTimeoutMs:
      opts.statementTimeoutSeconds === undefined ? undefined : opts.statementTimeoutSeconds * 1000,
    poolMax: opts.poolMax,
  });
  const { db, dialect, pgSchema } = connected;
  try {
    const applied = await withoutStatementTimeout(connected, (conn) =>
      migrateToLatest(conn, dialect, pgSchema),
    );
    if (applied.length) opts.logger?.info({ dialect, applied }, 'store schema migrated');
  } catch (err) {
    opts.logger?.error({ err, dialect }, 'store schema migration failed');
    await db.destroy();
    throw err;
  }

  return {
    dialect,
    accounts: createAccountsRepo(db),
    apiKeys: createApiKeysRepo(db),
    connections: createConnectionsRepo(db),
    migrations: createMigrationsRepo(db, dialect),
    items: createMigrationItemsRepo(db, dialect),
    frontier: createMigrationFrontierRepo(db),
    batches: createMigrationBatchesRepo(db),
    names: createMigrationNamesRepo(db),
    syncs: createSyncsRepo(db),
    syncState: createSyncStateRepo(db),
    webhooks: createWebhooksRepo(db),
    localGrants: createLocalGrantsRepo(db),
    oauthStates: createOAuthStatesRepo(db),
    sealedSecrets: createSealedSecretsRepo(db),
    users: createUsersRepo(db),
    sessions: createSessionsRepo(db),
    loginTokens: createLoginTokensRepo(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
