// Names a migration has given at the destination, in folders whose listing spans more than one page:
// placing a later page must know what the earlier ones took, so that two source entries never land on
// one destination name (Drive duplicates, case collisions at a case-insensitive destination). Keyed by
// (migration, destination folder, normalized name); a retried page finds its own claims by source id.
// Rows go when the migration reaches a final status.
import { createHash } from 'node:crypto';
import type { Db } from './db';

const ROWS_PER_STATEMENT = 500;
const hashOf = (s: string) => createHash('sha256').update(s).digest('base64url');

export interface NameClaim {
  /** The name's comparison key at the destination (NFC, lower-cased where the destination ignores case). */
  key: string;
  /** The source entry that holds it. */
  sourceId: string;
}

export interface MigrationNamesRepo {
  /** Who holds these keys in the destination folder: key → source id (keys nobody holds are absent). */
  holders(
    accountId: string,
    migrationId: string,
    folder: string,
    keys: string[],
  ): Promise<Map<string, string>>;
  /** Records claims; a key already held keeps its holder. */
  claim(accountId: string, migrationId: string, folder: string, claims: NameClaim[]): Promise<void>;
  /** Every key held in the folder, hashed as `hashKey` hashes (for comparing a whole folder). */
  heldKeys(accountId: string, migrationId: string, folder: string): Promise<Set<string>>;
  drop(accountId: string, migrationId: string): Promise<void>;
}

/** The stored form of a key (names can outgrow an index entry). */
export const hashKey = hashOf;

export function createMigrationNamesRepo(db: Db): MigrationNamesRepo {
  const scoped = (accountId: string, migrationId: string, folder: string) =>
    db
      .selectFrom('migration_names')
      .where('migration_id', '=', migrationId)
      .where('account_id', '=', accountId)
      .where('folder_key', '=', hashOf(folder));
  return {
    async holders(accountId, migrationId, folder, keys) {
      const byHash = new Map(keys.map((k) => [hashOf(k), k]));
      const out = new Map<string, string>();
      const hashes = [...byHash.keys()];
      for (let i = 0; i < hashes.length; i += ROWS_PER_STATEMENT) {
        const rows = await scoped(accountId, migrationId, folder)
          .select(['name_key', 'source_id'])
          .where('name_key', 'in', hashes.slice(i, i + ROWS_PER_STATEMENT))
          .execute();
        for (const r of rows) out.set(byHash.get(r.name_key)!, r.source_id);
      }
      return out;
    },

    async claim(accountId, migrationId, folder, claims) {
      const rows = claims.map((c) => ({
        migration_id: migrationId,
        account_id: accountId,
        folder_key: hashOf(folder),
        name_key: hashOf(c.key),
        source_id: c.sourceId,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await db
          .insertInto('migration_names')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) => oc.columns(['migration_id', 'folder_key', 'name_key']).doNothing())
          .execute();
      }
    },

    async heldKeys(accountId, migrationId, folder) {
      const rows = await scoped(accountId, migrationId, folder).select('name_key').execute();
      return new Set(rows.map((r) => r.name_key));
    },

    async drop(accountId, migrationId) {
      await db
        .deleteFrom('migration_names')
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId)
        .execute();
    },
  };
}
