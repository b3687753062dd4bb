// Runs one suite body against every store backend: SQLite (temp file) and PostgreSQL (DATABASE_URL_TEST,
// a fresh schema per suite, dropped afterwards). Without DATABASE_URL_TEST the PostgreSQL half is skipped
// with a warning, except in CI where it fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Pool } from 'pg';
import { randomBase62 } from '../../common/ids';
import { createStore, dropPgSchema, type Store, type StoreOptions } from '../../store';

export type Backend = 'sqlite' | 'postgres';

/** Direct SQL on the store's database, bypassing the repositories (to prove what is really stored). */
export interface RawDb {
  /** `?` placeholders on both backends. */
  all<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  run(sqlText: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export class StoreTarget {
  store!: Store;
  raw!: RawDb;
  readonly url: string;
  readonly pgSchema?: string;
  private readonly opened: Store[] = [];
  private readonly tmpDir?: string;

  constructor(readonly backend: Backend) {
    if (backend === 'sqlite') {
      this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-store-'));
      this.url = `sqlite:${path.join(this.tmpDir, 'nested', 'store.db')}`;
    } else {
      this.url = process.env.DATABASE_URL_TEST as string;
      this.pgSchema = `mc_test_${randomBase62(10).toLowerCase()}`;
    }
  }

  /** Opens (another) store on this target's database; closed in teardown. */
  async open(opts: Omit<StoreOptions, 'pgSchema'> = {}): Promise<Store> {
    const store = await createStore(this.url, { ...opts, pgSchema: this.pgSchema });
    this.opened.push(store);
    return store;
  }

  async setup(): Promise<void> {
    this.store = await this.open();
    this.raw =
      this.backend === 'sqlite'
        ? sqliteRaw(this.url.slice('sqlite:'.length))
        : pgRaw(this.url, this.pgSchema!);
  }

  async teardown(): Promise<void> {
    await this.raw?.close();
    for (const store of this.opened.splice(0)) await store.close();
    if (this.pgSchema) await dropPgSchema(this.url, this.pgSchema);
    if (this.tmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

function sqliteRaw(file: string): RawDb {
  const db = new SqliteDatabase(file);
  return {
    async all<T>(sqlText: string, params: unknown[] = []) {
      return db.prepare(sqlText).all(...params) as T[];
    },
    async run(sqlText: string, params: unknown[] = []) {
      db.prepare(sqlText).run(...params);
    },
    async close() {
      db.close();
    },
  };
}

function pgRaw(url: string, schema: string): RawDb {
  const pool = new Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
  const numbered = (sqlText: string) => {
    let n = 0;
    return sqlText.replace(/\?/g, () => `$${++n}`);
  };
  return {
    async all<T>(sqlText: string, params: unknown[] = []) {
      return (await pool.query(numbered(sqlText), params)).rows as T[];
    },
    async run(sqlText: string, params: unknown[] = []) {
      await pool.query(numbered(sqlText), params);
    },
    async close() {
      await pool.end();
    },
  };
}

/** The backends this run can test; registers a failing test in CI when PostgreSQL is not configured. */
function backends(): Backend[] {
  if (process.env.DATABASE_URL_TEST) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    it('has DATABASE_URL_TEST for the PostgreSQL store tests (required in CI)', () => {
      throw new Error('DATABASE_URL_TEST is not set: the PostgreSQL store tests cannot run');
    });
  } else {
    console.warn('DATABASE_URL_TEST is not set: skipping the PostgreSQL half of the store tests');
  }
  return ['sqlite'];
}

/** Declares `title [backend]` for every backend, with a ready store in `target.store`. */
export function describeEachStore(title: string, body: (target: StoreTarget) => void): void {
  for (const backend of backends()) {
    describe(`${title} [${backend}]`, () => {
      const target = new StoreTarget(backend);
      beforeAll(() => target.setup());
      afterAll(() => target.teardown());
      body(target);
    });
  }
}
