// The hot statement of a migration: the copy activities insert an item row per file, hundreds at a
// time. Built by Kysely, a 500-row INSERT is a tree of ~6,000 value nodes to build and compile each
// time — more CPU than SQLite's own work on it (benchmark 1's profile: ~20 µs a row). Its text depends
// only on the dialect and the number of rows, so it is written once per row count and reused with
// the values as parameters; the statement is the one Kysely would build (same columns, same conflict
// rule), unqualified like every other (PostgreSQL's search_path names the schema).
import { CompiledQuery } from 'kysely';
import type { Db, Dialect, MigrationItemsTable } from './db';

export type ItemRow = Omit<MigrationItemsTable, 'seq'>;

const COLUMNS = [
  'migration_id',
  'account_id',
  'item_key',
  'source_path',
  'source_id',
  'note',
  'destination_path',
  'size',
  'status',
  'reason',
  'reason_group',
  'updated_at',
] as const satisfies readonly (keyof ItemRow)[];

const texts = new Map<string, string>();

function insertNewText(dialect: Dialect, rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    let n = 0;
    const one = () => `(${COLUMNS.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text =
      `insert into "migration_items" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values ` +
      `${Array.from({ length: rows }, one).join(', ')} ` +
      `on conflict ("migration_id", "item_key") do nothing returning "item_key"`;
    // Batches come in a few sizes (a full one, the last of a migration): the cache stays small.
    if (texts.size > 64) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/** Inserts the rows that have no row yet (by migration and item key); answers the keys inserted. */
export async function insertNewItems(db: Db, dialect: Dialect, rows: ItemRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const parameters: unknown[] = [];
  for (const row of rows) for (const c of COLUMNS) parameters.push(row[c]);
  const result = await db.executeQuery<{ item_key: string }>(
    CompiledQuery.raw(insertNewText(dialect, rows.length), parameters),
  );
  return new Set(result.rows.map((r) => r.item_key));
}
