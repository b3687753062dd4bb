// Migration items: one row per source file a migration decided about (copied, skipped or failed). Copy
// activities upsert them in batches as they go; a retried batch replaces its rows instead of adding
// more, because the key is (migration id, the file's identity): its id at the source, or its path where
// the source names it by path (local) or no id was carried.
import { createHash } from 'node:crypto';
import { invalidParameter } from '../common/errors';
import type { Db, Dialect, MigrationItemsTable } from './db';
import { insertNewItems } from './item-insert';
import { summarizeItems, type MigrationItemReport } from './item-report';
import { Page, PageRequest, readPageSize } from './paging';
import { reasonGroup } from './reason-group';
import { nowIso } from './util';

import type { MigrationItemStatus } from './item-status';

export { MIGRATION_ITEM_STATUSES, type MigrationItemStatus } from './item-status';

export interface MigrationItemOutcome {
  sourcePath: string;
  /** The file's id at the source (FileEntry.id); null where none was carried (mirror-mode deletions). */
  sourceId: string | null;
  /** Where the file went (or would have gone); null when no destination was decided. */
  destinationPath: string | null;
  /** Bytes; null when unknown (an exported document that failed). */
  size: number | null;
  status: MigrationItemStatus;
  reason: string | null;
  /** Why the destination name differs from the source's (a duplicate, a refused name…); null when it does not. */
  note: string | null;
}

export interface MigrationItem extends MigrationItemOutcome {
  migrationId: string;
  updatedAt: string;
}

export interface MigrationItemsRepo {
  /**
   * Upserts outcomes keyed by (migration, itemKey), in as few statements as the databases allow:
   * recording the same file again replaces its row, never adds one. With `onlyNew`, files already
   * recorded keep their row. Rows of another account are never touched. Answers the outcomes of the
   * files that had no row yet (what the metrics count, so a retried batch counts nothing twice).
   */
  record(
    accountId: string,
    migrationId: string,
    outcomes: MigrationItemOutcome[],
    opts?: { onlyNew?: boolean },
  ): Promise<MigrationItemOutcome[]>;
  /** The recorded rows among these files (any order; match them with itemKey). */
  find(accountId: string, migrationId: string, files: ItemRef[]): Promise<MigrationItem[]>;
  /** In the order first recorded. */
  list(
    accountId: string,
    migrationId: string,
    filter: { status?: MigrationItemStatus },
    page: PageRequest,
  ): Promise<Page<MigrationItem>>;
  /** Counts by status and by reason, and the largest failures, in SQL aggregates (item-report.ts). */
  report(accountId: string, migrationId: string): Promise<MigrationItemReport>;
}

/** Rows per INSERT: 12 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 500;

/** What identifies a source file among a migration's items. */
export type ItemRef = Pick<MigrationItemOutcome, 'sourcePath'> & { sourceId?: string | null };

/** A file's identity: its id at the source, else its path. */
export const itemKey = (f: ItemRef): string => f.sourceId ?? f.sourcePath;

/** The stored key: bounded (SHA-256, base64url), as ids and paths can outgrow an index entry. */
const storedKey = (f: ItemRef) => createHash('sha256').update(itemKey(f)).digest('base64url');

const toNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toItem = (row: Omit<MigrationItemsTable, 'seq' | 'account_id' | 'item_key'>): MigrationItem => ({
  migrationId: row.migration_id,
  sourcePath: row.source_path,
  sourceId: row.source_id,
  note: row.note,
  destinationPath: row.destination_path,
  size: toNumber(row.size),
  status: row.status as MigrationItemStatus,
  reason: row.reason,
  updatedAt: row.updated_at,
});

// Tokens carry the last row's seq; the "itm" tag rejects a token minted for another list.
const encodeToken = (seq: number) => Buffer.from(JSON.stringify(['itm', seq])).toString('base64url');

function decodeToken(token: string): number {
  const bad = () =>
    invalidParameter(
      'page_token',
      'is not a valid page token',
      'Pass the next_page_token of the previous page unchanged.',
    );
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(token)) throw bad();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== 'itm') throw bad();
  const seq = decoded[1] as unknown;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw bad();
  return seq;
}

export function createMigrationItemsRepo(db: Db, dialect: Dialect): MigrationItemsRepo {
  return {
    async record(accountId, migrationId, outcomes, opts = {}) {
      // The last outcome of a file wins, as one statement cannot upsert the same key twice.
      const byKey = new Map(outcomes.map((o) => [itemKey(o), o]));
      const now = nowIso();
      const unique = [...byKey.values()];
      const rows = unique.map((o: MigrationItemOutcome) => ({
        migration_id: migrationId,
        account_id: accountId,
        item_key: storedKey(o),
        source_path: o.sourcePath,
        source_id: o.sourceId,
        note: o.note,
        destination_path: o.destinationPath,
        size: o.size,
        status: o.status,
        reason: o.reason,
        reason_group: o.reason === null ? null : reasonGroup(o.reason),
        updated_at: now,
      }));
      const added: MigrationItemOutcome[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        // New rows first, so the answer can say which files had none (usually all: one statement).
        const fresh = await insertNewItems(db, dialect, chunk);
        const existing = chunk.filter((row, j) => {
          if (fresh.has(row.item_key)) added.push(unique[i + j]!);
          return !fresh.has(row.item_key);
        });
        if (opts.onlyNew || existing.length === 0) continue;
        await db
          .insertInto('migration_items')
          .values(existing)
          .onConflict((oc) =>
            oc
              .columns(['migration_id', 'item_key'])
              .doUpdateSet((eb) => ({
                destination_path: eb.ref('excluded.destination_path'),
                size: eb.ref('excluded.size'),
                status: eb.ref('excluded.status'),
                reason: eb.ref('excluded.reason'),
                reason_group: eb.ref('excluded.reason_group'),
                note: eb.ref('excluded.note'),
                updated_at: eb.ref('excluded.updated_at'),
              }))
              // Migration ids are unique, but a row is only ever rewritten by its own account.
              .where('migration_items.account_id', '=', accountId),
          )
          .execute();
      }
      return added;
    },

    async find(accountId, migrationId, files) {
      if (files.length === 0) return [];
      const found: MigrationItem[] = [];
      for (let i = 0; i < files.length; i += ROWS_PER_STATEMENT) {
        const keys = files.slice(i, i + ROWS_PER_STATEMENT).map(storedKey);
        const rows = await db
          .selectFrom('migration_items')
          .selectAll()
          .where('migration_id', '=', migrationId)
          .where('account_id', '=', accountId)
          .where('item_key', 'in', keys)
          .execute();
        found.push(...rows.map(toItem));
      }
      return found;
    },

    async list(accountId, migrationId, filter, page) {
      const size = readPageSize(page);
      const after = page.pageToken ? decodeToken(page.pageToken) : undefined;
      let query = db
        .selectFrom('migration_items')
        .selectAll()
        .where('migration_id', '=', migrationId)
        .where('account_id', '=', accountId);
      if (filter.status) query = query.where('status', '=', filter.status);
      if (after !== undefined) query = query.where('seq', '>', after);
      const rows = await query
        .orderBy('seq', 'asc')
        .limit(size + 1)
        .execute();
      const items = rows.slice(0, size);
      const last = items[items.length - 1];
      return {
        items: items.map(toItem),
        nextPageToken: rows.length > size && last ? encodeToken(Number(last.seq)) : null,
      };
    },

    report: (accountId, migrationId) => summarizeItems(db, accountId, migrationId),
  };
}
