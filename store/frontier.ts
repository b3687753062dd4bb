// The spilled part of a migration's folder frontier (see workflows/frontier.ts): a stack per migration
// whose positions (seq) the workflow chooses, so a retried activity writes or deletes the same rows.
import type { Db } from './db';

/** A folder still to be listed, spilled out of a migration workflow's state; seq 0 is the stack's bottom. */
export interface SpilledFolder {
  seq: number;
  path: string;
  pageToken: string | null;
  /** The folder's id at the source, its destination path and why that differs (FrontierEntry). */
  id?: string;
  destination?: string;
  note?: string;
  fail?: string;
  shallow?: boolean;
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

/** Rows per INSERT: 10 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 1000;

export function createMigrationFrontierRepo(db: Db): MigrationFrontierRepo {
  return {
    async save(accountId, migrationId, folders) {
      const rows = folders.map((f) => ({
        migration_id: migrationId,
        account_id: accountId,
        seq: f.seq,
        path: f.path,
        page_token: f.pageToken,
        item_id: f.id ?? null,
        destination: f.destination ?? null,
        note: f.note ?? null,
        fail: f.fail ?? null,
        shallow: f.shallow ? 1 : 0,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('migration_frontier')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc
              .columns(['migration_id', 'seq'])
              .doUpdateSet((eb) => ({
                path: eb.ref('excluded.path'),
                page_token: eb.ref('excluded.page_token'),
                item_id: eb.ref('excluded.item_id'),
                destination: eb.ref('excluded.destination'),
                note: eb.ref('excluded.note'),
                fail: eb.ref('excluded.fail'),
                shallow: eb.ref('excluded.shallow'),
              }))
              .where('migration_frontier.account_id', '=', accountId),
          )
          .execute();
      }
    },

    async load(accountId, migrationId, fromSeq, toSeq): Promise<SpilledFolder[]> {
      const rows = await db
        .selectFrom('migration_frontier')
        .select(['seq', 'path', 'page_token', 'item_id', 'destination', 'note', 'fail', 'shallow'])
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .where('seq', '>=', fromSeq)
        .where('seq', '<', toSeq)
        .orderBy('seq', 'asc')
        .execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        path: r.path,
        pageToken: r.page_token,
        ...(r.item_id !== null && { id: r.item_id }),
        ...(r.destination !== null && { destination: r.destination }),
        ...(r.note !== null && { note: r.note }),
        ...(r.fail !== null && { fail: r.fail }),
        ...(Number(r.shallow) === 1 && { shallow: true }),
      }));
    },

    async remove(accountId, migrationId, fromSeq) {
      await db
        .deleteFrom('migration_frontier')
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .where('seq', '>=', fromSeq)
        .execute();
    },
  };
}
