// Recurring syncs: one row per sync; its Temporal Schedule (`sync-<id>`) starts the runs, each a migration
// whose sync_id points back here. The last run's status is read from its migration row.
import { conflict } from '../common/errors';
import { newId } from '../common/ids';
import type { Db, SyncsTable } from './db';
import { Page, PageRequest, readPageRequest, toPage } from './paging';
import { fromJson, isUniqueViolation, nowIso, toJson } from './util';
import {
  completeOptions,
  type MigrationEndpoint,
  type MigrationOptions,
  type MigrationStatus,
} from '../contract';

/** When a sync runs: a 5-field cron expression, or an interval such as "15m" (api/syncs/schedule.ts). */
export type SyncSchedule = { cron: string } | { interval: string };

export interface Sync {
  id: string;
  accountId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  /** Each run copies them. */
  options: MigrationOptions;
  schedule: SyncSchedule;
  /** IANA time zone the schedule is read in. */
  timezone: string;
  paused: boolean;
  /** The change-feed cursor of the last completed run, opaque here; null before the first. */
  cursor: string | null;
  /** The run started last (with its status as recorded), null before the first. */
  lastRun: { migrationId: string; status: MigrationStatus } | null;
  /** The Idempotency-Key it was created with, and a digest of that request (api/syncs/service.ts). */
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
    options: MigrationOptions;
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
      options?: MigrationOptions;
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

type SyncRow = SyncsTable & { last_status: string | null };

const toSync = (row: SyncRow): Sync => ({
  id: row.id,
  accountId: row.account_id,
  source: fromJson<MigrationEndpoint>(row.source),
  destination: fromJson<MigrationEndpoint>(row.destination),
  // Rows written before an option existed read as if it had its default.
  options: completeOptions(fromJson<Partial<MigrationOptions>>(row.options)),
  schedule: fromJson<SyncSchedule>(row.schedule),
  timezone: row.timezone,
  paused: Number(row.paused) === 1,
  cursor: row.cursor,
  // A run whose migration row is gone (never the case today) reads as pending.
  lastRun: row.last_migration_id
    ? { migrationId: row.last_migration_id, status: (row.last_status ?? 'pending') as MigrationStatus }
    : null,
  idempotencyKey: row.idempotency_key ?? null,
  idempotencyFingerprint: row.idempotency_fingerprint ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createSyncsRepo(db: Db): SyncsRepo {
  /** Syncs joined with their last run's status. */
  const select = () =>
    db
      .selectFrom('syncs')
      .leftJoin('migrations', 'migrations.id', 'syncs.last_migration_id')
      .selectAll('syncs')
      .select('migrations.status as last_status');

  const getById = async (id: string) => {
    const row = await select().where('syncs.id', '=', id).executeTakeFirst();
    return row && toSync(row);
  };

  return {
    /** Throws AppError `conflict` when the account already has a sync with this idempotency key. */
    async create(input) {
      const {
        id = newId('syn'),
        accountId,
        source,
        destination,
        options,
        schedule,
        timezone,
        paused,
      } = input;
      const now = nowIso();
      const row: SyncsTable = {
        id,
        account_id: accountId,
        source: toJson(source),
        destination: toJson(destination),
        options: toJson(options),
        schedule: toJson(schedule),
        timezone,
        paused: paused ? 1 : 0,
        cursor: null,
        last_migration_id: null,
        created_at: now,
        updated_at: now,
        idempotency_key: input.idempotencyKey ?? null,
        idempotency_fingerprint: input.idempotencyFingerprint ?? null,
      };
      try {
        await db.insertInto('syncs').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw conflict(
            'A sync with this id or idempotency key already exists',
            'Retry with the same idempotency key to get the existing sync, or use a new key.',
          );
        }
        throw err;
      }
      return toSync({ ...row, last_status: null });
    },

    async findByIdempotencyKey(accountId, key) {
      const row = await select()
        .where('syncs.account_id', '=', accountId)
        .where('syncs.idempotency_key', '=', key)
        .executeTakeFirst();
      return row && toSync(row);
    },

    async get(accountId, id) {
      const row = await select()
        .where('syncs.account_id', '=', accountId)
        .where('syncs.id', '=', id)
        .executeTakeFirst();
      return row && toSync(row);
    },

    getById,

    async list(accountId, page) {
      const { size, after } = readPageRequest(page, 'syn');
      let query = select().where('syncs.account_id', '=', accountId);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('syncs.created_at', 'syncs.id'), '<', eb.tuple(after.createdAt, after.id)),
        );
      }
      const rows = await query
        .orderBy('syncs.created_at', 'desc')
        .orderBy('syncs.id', 'desc')
        .limit(size + 1)
        .execute();
      return toPage(rows, size, toSync);
    },

    async update(accountId, id, patch) {
      const result = await db
        .updateTable('syncs')
        .set({
          updated_at: nowIso(),
          ...(patch.options !== undefined && { options: toJson(patch.options) }),
          ...(patch.schedule !== undefined && { schedule: toJson(patch.schedule) }),
          ...(patch.timezone !== undefined && { timezone: patch.timezone }),
          ...(patch.paused !== undefined && { paused: patch.paused ? 1 : 0 }),
        })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return getById(id);
    },

    async recordRunStarted(id, migrationId) {
      const result = await db
        .updateTable('syncs')
        .set({ last_migration_id: migrationId, updated_at: nowIso() })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async saveCursor(id, migrationId, cursor) {
      const result = await db
        .updateTable('syncs')
        .set({ cursor, updated_at: nowIso() })
        .where('id', '=', id)
        .where('last_migration_id', '=', migrationId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async delete(accountId, id) {
      const result = await db
        .deleteFrom('syncs')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
