// Schema migrations, in code, one set for both dialects (Kysely's schema builder only).
// Applied at store creation; Kysely's Migrator records them and holds a lock, so many processes may start at once.
import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './db';
import { usersAndSessions } from './schema-users';

/**
 * Text compared byte-wise. Keyset paging orders by (created_at, id); PostgreSQL's default collation may
 * be locale-aware (e.g. en_US sorts "a" before "B"), so ordering columns use "C" there. SQLite's
 * default collation is already binary.
 */
const sortableText = (dialect: Dialect) => (dialect === 'postgres' ? sql`text collate "C"` : sql`text`);

function initial(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('created_at', key, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('api_keys_account_idx')
        .on('api_keys')
        .columns(['account_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('connections')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('connections_account_created_idx')
        .on('connections')
        .columns(['account_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('migrations')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('source_service', 'text', (c) => c.notNull())
        .addColumn('destination_service', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        // NULL keys are distinct in both dialects, so migrations without a key never collide.
        .addUniqueConstraint('migrations_account_idempotency_key', ['account_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createIndex('migrations_account_created_idx')
        .on('migrations')
        .columns(['account_id', 'created_at', 'id'])
        .execute();
    },
  };
}

/** Per-file outcomes of migrations (GET /v1/migrations/:id/items), upserted as copies finish. */
function migrationItems(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      // No foreign keys: activities record outcomes for whatever migration id their workflow carries.
      await db.schema
        .createTable('migration_items')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('migration_id', key, (c) => c.notNull())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('path_key', 'text', (c) => c.notNull())
        .addColumn('source_path', 'text', (c) => c.notNull())
        .addColumn('destination_path', 'text')
        .addColumn('size', 'bigint')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('migration_items_path_key', ['migration_id', 'path_key'])
        .execute();
      await db.schema
        .createIndex('migration_items_list_idx')
        .on('migration_items')
        .columns(['migration_id', 'account_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('migration_items_status_idx')
        .on('migration_items')
        .columns(['migration_id', 'account_id', 'status', 'seq'])
        .execute();
    },
  };
}

/** Folders a migration still has to list, spilled out of its workflow state (workflows/frontier.ts). */
function migrationFrontier(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      // seq is chosen by the workflow (bottom of the stack = 0), so retried writes land on the same rows.
      await db.schema
        .createTable('migration_frontier')
        .addColumn('migration_id', key, (c) => c.notNull())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('page_token', 'text')
        .addPrimaryKeyConstraint('migration_frontier_pk', ['migration_id', 'seq'])
        .execute();
    },
  };
}

/** Recurring syncs, and which sync started a migration (its runs). */
function syncs(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('syncs')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull())
        .addColumn('cursor', 'text')
        .addColumn('last_migration_id', 'text')
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('syncs_account_created_idx')
        .on('syncs')
        .columns(['account_id', 'created_at', 'id'])
        .execute();
      // No foreign key: a deleted sync's runs stay as migrations of their own.
      await db.schema.alterTable('migrations').addColumn('sync_id', key).execute();
      await db.schema
        .createIndex('migrations_sync_created_idx')
        .on('migrations')
        .columns(['account_id', 'sync_id', 'created_at', 'id'])
        .execute();
    },
  };
}

/** Webhook endpoints, the events published to them, one delivery per (endpoint, event) and its attempts. */
function webhooks(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('webhooks')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        // Sealed with the encryption key (it must be read back to sign), bound to the webhook id.
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhooks_account_created_idx')
        .on('webhooks')
        .columns(['account_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('webhook_events')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        // The exact body every delivery of the event sends (signatures cover these bytes).
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', key, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('webhook_id', key, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('event_id', key, (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_status_code', 'integer')
        .addColumn('last_latency_ms', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', key, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_attempt_at', 'text')
        .addColumn('finished_at', 'text')
        // One delivery per endpoint and event: publishing the same event again adds none.
        .addUniqueConstraint('webhook_deliveries_webhook_event', ['webhook_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_list_idx')
        .on('webhook_deliveries')
        .columns(['webhook_id', 'account_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('webhook_delivery_attempts')
        .addColumn('delivery_id', key, (c) =>
          c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
        )
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_delivery_attempts_pk', ['delivery_id', 'attempt'])
        .execute();
    },
  };
}

/** Incremental syncs: where each source item was (by id), and the deletions a mirror run gathers. */
function syncState(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_entries')
        .addColumn('sync_id', key, (c) => c.notNull())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('item_key', key, (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('folder', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_entries_pk', ['sync_id', 'item_key'])
        .execute();
      await db.schema
        .createTable('migration_deletions')
        .addColumn('migration_id', key, (c) => c.notNull())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('path_key', key, (c) => c.notNull())
        .addColumn('destination_path', 'text', (c) => c.notNull())
        .addColumn('source_path', 'text', (c) => c.notNull())
        .addColumn('folder', 'integer', (c) => c.notNull())
        .addColumn('files', 'bigint', (c) => c.notNull())
        .addColumn('covered', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('migration_deletions_pk', ['migration_id', 'path_key'])
        .execute();
    },
  };
}

/**
 * POST /v1/syncs with an Idempotency-Key: the key, unique per account (NULLs never collide), and a digest
 * of the request it came with. A sync changes after creation (PATCH, pause), so a retry is compared
 * with the original request, not with the row.
 */
function syncIdempotency(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema.alterTable('syncs').addColumn('idempotency_key', 'text').execute();
      await db.schema.alterTable('syncs').addColumn('idempotency_fingerprint', 'text').execute();
      // A unique index, not a constraint: SQLite cannot add constraints to an existing table.
      await db.schema
        .createIndex('syncs_account_idempotency_key')
        .on('syncs')
        .columns(['account_id', 'idempotency_key'])
        .unique()
        .execute();
    },
  };
}

/**
 * Items keyed by the file's identity (its id at the source), with that id and why a name changed; and
 * the names a migration gave in folders listed over several pages.
 */
function itemIdentity(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      // Rows written before keep their key (the path's hash), which is their identity: a path.
      await db.schema.alterTable('migration_items').renameColumn('path_key', 'item_key').execute();
      await db.schema.alterTable('migration_items').addColumn('source_id', 'text').execute();
      await db.schema.alterTable('migration_items').addColumn('note', 'text').execute();
      // Spilled folders keep what placing them decided (FrontierEntry: id, destination, note, fail, shallow).
      for (const column of ['item_id', 'destination', 'note', 'fail']) {
        await db.schema.alterTable('migration_frontier').addColumn(column, 'text').execute();
      }
      await db.schema.alterTable('migration_frontier').addColumn('shallow', 'integer').execute();
      // Names given in folders listed over several pages (store/names.ts).
      await db.schema
        .createTable('migration_names')
        .addColumn('migration_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('folder_key', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('migration_names_pk', ['migration_id', 'folder_key', 'name_key'])
        .execute();
    },
  };
}

/** Folders on the server the operator granted to an account: its `local` connections stay inside them. */
function localGrants(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('local_grants')
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('root', key, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('local_grants_pk', ['account_id', 'root'])
        .execute();
    },
  };
}

/** API keys get a scope; keys made before scopes existed could do everything, so they stay `admin`. */
function apiKeyScopes(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('api_keys')
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo('admin'))
        .execute();
    },
  };
}

/** One-time OAuth states, held server-side (hashed) with their PKCE verifier and browser binding. */
function oauthStates(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('oauth_states')
        .addColumn('state_hash', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('connection_id', key, (c) => c.notNull())
        .addColumn('reauthorize', 'integer', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('browser_hash', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oauth_states_expires').on('oauth_states').column('expires_at').execute();
    },
  };
}

/** Copy batches passed to copy activities by key rather than through workflow history (store/batches.ts). */
function migrationBatches(dialect: Dialect): Migration {
  const key = sortableText(dialect);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('migration_batches')
        .addColumn('migration_id', key, (c) => c.notNull())
        .addColumn('account_id', key, (c) => c.notNull())
        .addColumn('exploration', 'bigint', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'bigint')
        .addPrimaryKeyConstraint('migration_batches_pk', ['migration_id', 'exploration', 'part'])
        .execute();
    },
  };
}

/**
 * The group of an item's reason (store/reason-group.ts), for the report's counts by reason. Rows recorded
 * before it have none: the report groups those by their exact reason.
 */
function itemReasonGroups(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema.alterTable('migration_items').addColumn('reason_group', 'text').execute();
    },
  };
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001_initial': initial(this.dialect),
      '0002_migration_items': migrationItems(this.dialect),
      '0003_migration_frontier': migrationFrontier(this.dialect),
      '0004_webhooks': webhooks(this.dialect),
      '0005_syncs': syncs(this.dialect),
      '0006_sync_state': syncState(this.dialect),
      '0007_sync_idempotency': syncIdempotency(),
      '0008_item_identity_and_names': itemIdentity(),
      '0009_local_grants': localGrants(this.dialect),
      '0010_api_key_scopes': apiKeyScopes(),
      '0011_oauth_states': oauthStates(this.dialect),
      '0012_migration_batches': migrationBatches(this.dialect),
      '0013_item_reason_groups': itemReasonGroups(),
      '0014_users_sessions': usersAndSessions(sortableText(this.dialect)),
    };
  }
}

/** Applies pending migrations; returns the names applied now (empty when already up to date). */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  dialect: Dialect,
  migrationTableSchema?: string,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(dialect), migrationTableSchema });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely's migration lock is a no-op on SQLite, so processes opening one fresh file together (API and
    // worker under `npm start`) can race; the loser's transaction rolls back and a retry finds the work done.
    // On PostgreSQL, Kysely introspects every schema: one dropped meanwhile (3F000) fails that query once.
    const transient = dialect === 'sqlite' ? isSqliteRace(error) : isSchemaDroppedMeanwhile(error);
    if (attempt >= 5 || !transient) {
      throw error instanceof Error ? error : new Error(`schema migration failed: ${String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

function isSqliteRace(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) ||
    (typeof message === 'string' && /already exists/.test(message))
  );
}

function isSchemaDroppedMeanwhile(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '3F000';
}
