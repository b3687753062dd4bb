// A migration's copy batches: exploring writes each batch's file tasks here and the workflow passes
// only the batch's key to the copy activity, so file lists (~250 bytes a file) never travel through
// workflow history. Keys are chosen by the workflow (its exploration number, then the batch's part in
// it), so a retried exploration writes the same rows. A batch is claimed by one copy activity at a time:
// after a continue-as-new the new run schedules the batches still in flight again, and a copy of the
// old run may still be finishing one (it stops at its next heartbeat); the claim makes the new one wait.
import type { Db } from './db';
import type { BatchKey, FileTask } from '../contract';

export type { BatchKey };

/** A claim lasts this long unless renewed: a crashed worker's batch is free again after it. */
export const BATCH_CLAIM_MS = 30_000;

export interface MigrationBatchesRepo {
  /** Replaces what an exploration stored (a retried attempt may split its files differently). */
  save(accountId: string, migrationId: string, exploration: number, parts: FileTask[][]): Promise<void>;
  /** A batch's files; null when it is not stored (dropped, or another account's). */
  load(accountId: string, migrationId: string, key: BatchKey): Promise<FileTask[] | null>;
  /**
   * Claims a batch for `owner` until now + BATCH_CLAIM_MS (renews the owner's own claim); false while
   * another owner's claim runs.
   */
  claim(
    accountId: string,
    migrationId: string,
    key: BatchKey,
    owner: string,
    nowMs: number,
  ): Promise<boolean>;
  /** Gives up `owner`'s claim (nothing when another owns it). */
  release(accountId: string, migrationId: string, key: BatchKey, owner: string): Promise<void>;
  /** Deletes these batches (copied), or every batch of the migration when `keys` is omitted. */
  drop(accountId: string, migrationId: string, keys?: BatchKey[]): Promise<void>;
}

/** Rows per INSERT: a batch's JSON can be large, so a few per statement. */
const ROWS_PER_STATEMENT = 50;
/** Keys per DELETE: SQLite bounds an expression's depth at 1,000. */
const KEYS_PER_STATEMENT = 100;

export function createMigrationBatchesRepo(db: Db): MigrationBatchesRepo {
  const row = (accountId: string, migrationId: string, key: BatchKey) =>
    db
      .updateTable('migration_batches')
      .where('migration_id', '=', migrationId)
      .where('account_id', '=', accountId)
      .where('exploration', '=', key.exploration)
      .where('part', '=', key.part);
  return {
    async save(accountId, migrationId, exploration, parts) {
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('migration_batches')
          .where('migration_id', '=', migrationId)
          .where('account_id', '=', accountId)
          .where('exploration', '=', exploration)
          .execute();
        const rows = parts.map((files, part) => ({
          migration_id: migrationId,
          account_id: accountId,
          exploration,
          part,
          files: JSON.stringify(files),
          claimed_by: null,
          claimed_until: null,
        }));
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          await tx
            .insertInto('migration_batches')
            .values(rows.slice(i, i + ROWS_PER_STATEMENT))
            .execute();
        }
      });
    },

    async load(accountId, migrationId, key) {
      const found = await db
        .selectFrom('migration_batches')
        .select('files')
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .where('exploration', '=', key.exploration)
        .where('part', '=', key.part)
        .executeTakeFirst();
      return found ? (JSON.parse(found.files) as FileTask[]) : null;
    },

    async claim(accountId, migrationId, key, owner, nowMs) {
      const result = await row(accountId, migrationId, key)
        .set({ claimed_by: owner, claimed_until: nowMs + BATCH_CLAIM_MS })
        .where((eb) =>
          eb.or([
            eb('claimed_by', 'is', null),
            eb('claimed_by', '=', owner),
            eb('claimed_until', '<', nowMs),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async release(accountId, migrationId, key, owner) {
      await row(accountId, migrationId, key)
        .set({ claimed_by: null, claimed_until: null })
        .where('claimed_by', '=', owner)
        .execute();
    },

    async drop(accountId, migrationId, keys) {
      const query = db
        .deleteFrom('migration_batches')
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId);
      if (!keys) {
        await query.execute();
        return;
      }
      for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
        const some = keys.slice(i, i + KEYS_PER_STATEMENT);
        await query
          .where((eb) =>
            eb.or(some.map((k) => eb.and([eb('exploration', '=', k.exploration), eb('part', '=', k.part)]))),
          )
          .execute();
      }
    },
  };
}
