// State of incremental syncs. `entries`: where each source item of a sync was last seen, by the
// service's id — Drive and Graph report deleted items by id alone, and a renamed folder without its
// contents, so a run needs the old paths to mirror them. `deletions`: what a mirror-mode run would
// delete at the destination, gathered (and counted against max_delete) before anything is deleted.
// Every write is an idempotent upsert or delete, so activities may be retried.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db';

const ROWS_PER_STATEMENT = 500;
const keyOf = (s: string) => createHash('sha256').update(s).digest('base64url');

export interface SyncEntry {
  itemId: string;
  path: string;
  folder: boolean;
}

export interface DeletionCandidate {
  destinationPath: string;
  sourcePath: string;
  folder: boolean;
  /** Files it holds (1 for a file). */
  files: number;
}

export interface SyncStateRepo {
  saveEntries(accountId: string, syncId: string, entries: SyncEntry[]): Promise<void>;
  findEntries(accountId: string, syncId: string, itemIds: string[]): Promise<SyncEntry[]>;
  removeEntries(accountId: string, syncId: string, itemIds: string[]): Promise<void>;
  /** Entries below the folder `from` move below `to` (a renamed or moved folder). */
  moveEntries(accountId: string, syncId: string, from: string, to: string): Promise<void>;
  /** Files known below `folder` ("/" for all). */
  countFiles(accountId: string, syncId: string, folder: string): Promise<number>;

  addDeletions(accountId: string, migrationId: string, candidates: DeletionCandidate[]): Promise<void>;
  /** Candidates after `afterKey` in key order (uncovered only when asked). */
  deletionsPage(
    accountId: string,
    migrationId: string,
    afterKey: string | null,
    limit: number,
    onlyUncovered?: boolean,
  ): Promise<(DeletionCandidate & { key: string })[]>;
  /** Which of these destination paths are folder candidates. */
  folderCandidates(accountId: string, migrationId: string, paths: string[]): Promise<Set<string>>;
  markCovered(accountId: string, migrationId: string, paths: string[]): Promise<void>;
  dropDeletions(accountId: string, migrationId: string): Promise<void>;
}

export function createSyncStateRepo(db: Db): SyncStateRepo {
  const entries = (accountId: string, syncId: string) =>
    db.selectFrom('sync_entries').where('sync_id', '=', syncId).where('account_id', '=', accountId);
  const deletions = (accountId: string, migrationId: string) =>
    db
      .selectFrom('migration_deletions')
      .where('migration_id', '=', migrationId)
      .where('account_id', '=', accountId);
  return {
    async saveEntries(accountId, syncId, list) {
      const byId = new Map(list.map((e) => [e.itemId, e]));
      const rows = [...byId.values()].map((e) => ({
        sync_id: syncId,
        account_id: accountId,
        item_key: keyOf(e.itemId),
        item_id: e.itemId,
        path: e.path,
        folder: e.folder ? 1 : 0,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('sync_entries')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc
              .columns(['sync_id', 'item_key'])
              .doUpdateSet((eb) => ({ path: eb.ref('excluded.path'), folder: eb.ref('excluded.folder') }))
              .where('sync_entries.account_id', '=', accountId),
          )
          .execute();
      }
    },

    async findEntries(accountId, syncId, itemIds) {
      const out: SyncEntry[] = [];
      for (let i = 0; i < itemIds.length; i += ROWS_PER_STATEMENT) {
        const keys = itemIds.slice(i, i + ROWS_PER_STATEMENT).map(keyOf);
        if (keys.length === 0) continue;
        const rows = await entries(accountId, syncId)
          .select(['item_id', 'path', 'folder'])
          .where('item_key', 'in', keys)
          .execute();
        out.push(...rows.map((r) => ({ itemId: r.item_id, path: r.path, folder: Number(r.folder) === 1 })));
      }
      return out;
    },

    async removeEntries(accountId, syncId, itemIds) {
      for (let i = 0; i < itemIds.length; i += ROWS_PER_STATEMENT) {
        const keys = itemIds.slice(i, i + ROWS_PER_STATEMENT).map(keyOf);
        if (keys.length === 0) continue;
        await db
          .deleteFrom('sync_entries')
          .where('sync_id', '=', syncId)
          .where('account_id', '=', accountId)
          .where('item_key', 'in', keys)
          .execute();
      }
    },

    async moveEntries(accountId, syncId, from, to) {
      // substr/|| on both dialects; prefix compared exactly (LIKE would read % and _ in names).
      const prefix = `${from}/`;
      await db
        .updateTable('sync_entries')
        .set({ path: sql<string>`${to} || substr(path, ${from.length + 1})` })
        .where('sync_id', '=', syncId)
        .where('account_id', '=', accountId)
        .where(sql<boolean>`substr(path, 1, ${prefix.length}) = ${prefix}`)
        .execute();
    },

    async countFiles(accountId, syncId, folder) {
      let q = entries(accountId, syncId).select((eb) => eb.fn.countAll<number | string>().as('n'));
      q = q.where('folder', '=', 0);
      if (folder !== '/') {
        const prefix = `${folder}/`;
        q = q.where(sql<boolean>`substr(path, 1, ${prefix.length}) = ${prefix}`);
      }
      const row = await q.executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async addDeletions(accountId, migrationId, candidates) {
      const byPath = new Map(candidates.map((c) => [c.destinationPath, c]));
      const rows = [...byPath.values()].map((c) => ({
        migration_id: migrationId,
        account_id: accountId,
        path_key: keyOf(c.destinationPath),
        destination_path: c.destinationPath,
        source_path: c.sourcePath,
        folder: c.folder ? 1 : 0,
        files: c.files,
        covered: 0,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('migration_deletions')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc
              .columns(['migration_id', 'path_key'])
              .doUpdateSet((eb) => ({ folder: eb.ref('excluded.folder'), files: eb.ref('excluded.files') }))
              .where('migration_deletions.account_id', '=', accountId),
          )
          .execute();
      }
    },

    async deletionsPage(accountId, migrationId, afterKey, limit, onlyUncovered = false) {
      let q = deletions(accountId, migrationId)
        .select(['path_key', 'destination_path', 'source_path', 'folder', 'files'])
        .orderBy('path_key')
        .limit(limit);
      if (afterKey !== null) q = q.where('path_key', '>', afterKey);
      if (onlyUncovered) q = q.where('covered', '=', 0);
      const rows = await q.execute();
      return rows.map((r) => ({
        key: r.path_key,
        destinationPath: r.destination_path,
        sourcePath: r.source_path,
        folder: Number(r.folder) === 1,
        files: Number(r.files),
      }));
    },

    async folderCandidates(accountId, migrationId, paths) {
      const found = new Set<string>();
      for (let i = 0; i < paths.length; i += ROWS_PER_STATEMENT) {
        const keys = paths.slice(i, i + ROWS_PER_STATEMENT).map(keyOf);
        if (keys.length === 0) continue;
        const rows = await deletions(accountId, migrationId)
          .select('destination_path')
          .where('folder', '=', 1)
          .where('path_key', 'in', keys)
          .execute();
        for (const r of rows) found.add(r.destination_path);
      }
      return found;
    },

    async markCovered(accountId, migrationId, paths) {
      for (let i = 0; i < paths.length; i += ROWS_PER_STATEMENT) {
        const keys = paths.slice(i, i + ROWS_PER_STATEMENT).map(keyOf);
        if (keys.length === 0) continue;
        await db
          .updateTable('migration_deletions')
          .set({ covered: 1 })
          .where('migration_id', '=', migrationId)
          .where('account_id', '=', accountId)
          .where('path_key', 'in', keys)
          .execute();
      }
    },

    async dropDeletions(accountId, migrationId) {
      await db
        .deleteFrom('migration_deletions')
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .execute();
    },
  };
}
