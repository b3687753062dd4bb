// Migrations: one row per migration job; the workflow reports status and progress into it.
import { conflict } from '../common/errors';
import { newId } from '../common/ids';
import { sql } from 'kysely';
import type { Db, Dialect, MigrationsTable } from './db';
import { Page, PageRequest, readPageRequest, toPage } from './paging';
import { fromJson, isUniqueViolation, nowIso, toJson } from './util';
import {
  completeOptions,
  emptyProgress,
  FINAL_STATUSES,
  MIGRATION_STATUSES,
  migrationWorkflowId,
  SLOT_HOLDING_STATUSES,
  statusesBefore,
  type MigrationEndpoint,
  type MigrationOptions,
  type MigrationProgress,
  type MigrationStatus,
} from '../contract';

export interface Migration {
  id: string;
  accountId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  options: MigrationOptions;
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

export interface MigrationsRepo {
  create(input: {
    id?: string;
    accountId: string;
    source: MigrationEndpoint;
    destination: MigrationEndpoint;
    options: MigrationOptions;
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
  /**
   * One-off migrations (not a sync's runs, which their sync-run workflow starts) still `pending` since
   * before `createdBefore`, oldest first, in every account: for the reconciler.
   */
  listPending(createdBefore: string, limit: number): Promise<Migration[]>;
  /**
   * Updates status/progress/error where the state machine allows it (contract STATUS_TRANSITIONS): a final
   * status never changes. Answers the migration as it now is (unchanged when the move was refused). A final
   * status also sets finishedAt, `running` sets startedAt once. With `accountId`, only that account's
   * migration is touched (undefined for another account's id).
   */
  update(
    id: string,
    patch: { status?: MigrationStatus; progress?: MigrationProgress; error?: string | null },
    accountId?: string,
  ): Promise<Migration | undefined>;
  /**
   * Moves the account's pending or queued migration to `running` when fewer than `limit` of its
   * migrations hold a slot (running or paused; 0: no limit), else records it `queued`. Answers its status
   * now (a running, paused or final migration as it is); undefined for an unknown id or another account's.
   */
  admit(id: string, accountId: string, limit: number): Promise<MigrationStatus | undefined>;
  /** The ids of up to `limit` of the account's queued migrations, oldest first. */
  queued(accountId: string, limit: number): Promise<string[]>;
  /** How many migrations of every account are in each status (every status, 0 included): for metrics. */
  countByStatus(): Promise<Record<MigrationStatus, number>>;
}

const toMigration = (row: MigrationsTable): Migration => ({
  id: row.id,
  accountId: row.account_id,
  source: fromJson<MigrationEndpoint>(row.source),
  destination: fromJson<MigrationEndpoint>(row.destination),
  // Rows written before an option existed read as if it had its default.
  options: completeOptions(fromJson<Partial<MigrationOptions>>(row.options)),
  workflowId: row.workflow_id,
  status: row.status as MigrationStatus,
  progress: fromJson<MigrationProgress>(row.progress),
  error: row.error,
  idempotencyKey: row.idempotency_key,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  syncId: row.sync_id ?? null,
});

export const isFinalStatus = (status: MigrationStatus): boolean => FINAL_STATUSES.includes(status);

export function createMigrationsRepo(db: Db, dialect: Dialect): MigrationsRepo {
  const getById = async (id: string) => {
    const row = await db.selectFrom('migrations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMigration(row);
  };

  return {
    /** Throws AppError `conflict` when the account already has a migration with this idempotency key. */
    async create({ id = newId('mig'), accountId, source, destination, options, idempotencyKey, syncId }) {
      const now = nowIso();
      const row: MigrationsTable = {
        id,
        account_id: accountId,
        source: toJson(source),
        destination: toJson(destination),
        source_service: source.service,
        destination_service: destination.service,
        options: toJson(options),
        workflow_id: migrationWorkflowId(id),
        status: 'pending',
        progress: toJson(emptyProgress()),
        error: null,
        idempotency_key: idempotencyKey ?? null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        sync_id: syncId ?? null,
      };
      try {
        await db.insertInto('migrations').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw conflict(
            'A migration with this id or idempotency key already exists',
            'Retry with the same idempotency key to get the existing migration, or use a new key.',
          );
        }
        throw err;
      }
      return toMigration(row);
    },

    async get(accountId, id) {
      const row = await db
        .selectFrom('migrations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toMigration(row);
    },

    getById,

    async findByIdempotencyKey(accountId, key) {
      const row = await db
        .selectFrom('migrations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      return row && toMigration(row);
    },

    async list(accountId, filter, page) {
      const { size, after } = readPageRequest(page, 'mig');
      let query = db.selectFrom('migrations').selectAll().where('account_id', '=', accountId);
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.syncId) query = query.where('sync_id', '=', filter.syncId);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toPage(rows, size, toMigration);
    },

    async listPending(createdBefore, limit) {
      const rows = await db
        .selectFrom('migrations')
        .selectAll()
        .where('status', '=', 'pending')
        .where('sync_id', 'is', null)
        .where('created_at', '<', createdBefore)
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map(toMigration);
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('migrations')
        .select((eb) => ['status', eb.fn.countAll().as('n')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(MIGRATION_STATUSES.map((s) => [s, 0])) as Record<
        MigrationStatus,
        number
      >;
      for (const row of rows) if (row.status in counts) counts[row.status as MigrationStatus] = Number(row.n);
      return counts;
    },

    async update(id, patch, accountId) {
      const now = nowIso();
      const toFinal = patch.status !== undefined && isFinalStatus(patch.status);
      // One conditional UPDATE, the state machine of contract/migration.ts: a stale progress write racing
      // the workflow's final write cannot reopen a finished migration, nor a late cancel (or a start
      // timing out) change one that ended.
      let query = db
        .updateTable('migrations')
        .set((eb) => ({
          updated_at: now,
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.progress !== undefined && { progress: toJson(patch.progress) }),
          ...(patch.error !== undefined && { error: patch.error }),
          ...(patch.status === 'running' && { started_at: eb.fn.coalesce('started_at', eb.val(now)) }),
          ...(toFinal && { finished_at: eb.fn.coalesce('finished_at', eb.val(now)) }),
        }))
        .where('id', '=', id);
      if (accountId !== undefined) query = query.where('account_id', '=', accountId);
      query =
        patch.status === undefined
          ? query.where('status', 'not in', [...FINAL_STATUSES])
          : query.where('status', 'in', statusesBefore(patch.status));
      const row = await query.returningAll().executeTakeFirst();
      // No row: unknown id, or a move the state machine refuses (the migration is left as it was).
      if (row) return toMigration(row);
      const current = await getById(id);
      return accountId === undefined || current?.accountId === accountId ? current : undefined;
    },

    async admit(id, accountId, limit) {
      return db.transaction().execute(async (trx) => {
        // One admission per account at a time across every worker (SQLite serialises writers anyway).
        if (dialect === 'postgres')
          await sql`select pg_advisory_xact_lock(hashtext(${accountId}))`.execute(trx);
        const row = await trx
          .selectFrom('migrations')
          .select('status')
          .where('id', '=', id)
          .where('account_id', '=', accountId)
          .executeTakeFirst();
        const status = row?.status as MigrationStatus | undefined;
        if (status !== 'pending' && status !== 'queued') return status;
        const now = nowIso();
        if (limit > 0) {
          const { busy } = await trx
            .selectFrom('migrations')
            .select((eb) => eb.fn.countAll<number>().as('busy'))
            .where('account_id', '=', accountId)
            .where('status', 'in', [...SLOT_HOLDING_STATUSES])
            .executeTakeFirstOrThrow();
          if (Number(busy) >= limit) {
            if (status === 'pending') {
              await trx
                .updateTable('migrations')
                .set({ status: 'queued', updated_at: now })
                .where('id', '=', id)
                .execute();
            }
            return 'queued';
          }
        }
        await trx
          .updateTable('migrations')
          .set((eb) => ({
            status: 'running',
            updated_at: now,
            started_at: eb.fn.coalesce('started_at', eb.val(now)),
          }))
          .where('id', '=', id)
          .execute();
        return 'running';
      });
    },

    async queued(accountId, limit) {
      const rows = await db
        .selectFrom('migrations')
        .select('id')
        .where('account_id', '=', accountId)
        .where('status', '=', 'queued')
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
