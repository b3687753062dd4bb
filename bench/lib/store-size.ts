// What a migration leaves in the store (SQLite): bytes per table and index from SQLite's dbstat view
// (pages in use, not the file's free pages), and the file itself. Benchmark 4 reports it per million items.
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

export interface StoreSize {
  fileBytes: number;
  /** Bytes by table or index name, largest first. */
  byObject: Record<string, number>;
}

export function sqliteStoreSize(file: string): StoreSize {
  const fileBytes = ['', '-wal'].reduce(
    (n, s) => n + (fs.existsSync(file + s) ? fs.statSync(file + s).size : 0),
    0,
  );
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const rows = db
      .prepare('select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc')
      .all() as { name: string; bytes: number }[];
    return { fileBytes, byObject: Object.fromEntries(rows.map((r) => [r.name, r.bytes])) };
  } finally {
    db.close();
  }
}
