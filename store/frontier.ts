// The spilled part of a migration's folder frontier (see workflows/frontier.ts): a stack per migration
// whose positions (seq) the workflow chooses, so a retried activity writes or deletes the same rows.
import type { Db } from './db';

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

/** Rows per INSERT: 5 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
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
              }))
              .where('migration_frontier.account_id', '=', accountId),
          )
          .execute();
      }
    },

    async load(accountId, migrationId, fromSeq, toSeq): Promise<SpilledFolder[]> {
      const rows = await db
        .selectFrom('migration_frontier')
        .select(['seq', 'path', 'page_token'])
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .where('seq', '>=', fromSeq)
        .where('seq', '<', toSeq)
        .orderBy('seq', 'asc')
        .execute();
      return rows.map((r) => ({ seq: Number(r.seq), path: r.path, pageToken: r.page_token }));
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
