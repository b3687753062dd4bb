// Opens a Kysely instance for a DATABASE_URL: `sqlite:<path>` (or `sqlite::memory:`) or `postgres(ql)://…`.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database, Dialect } from './db';

export interface Connected {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL schema the tables live in (undefined for SQLite). */
  pgSchema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function sqlitePath(databaseUrl: string): string {
  let rest = databaseUrl.slice('sqlite:'.length);
  if (rest.startsWith('//')) rest = rest.slice(2); // sqlite:///abs/path.db
  if (!rest) throw new Error('sqlite: URL needs a file path or :memory:');
  return rest;
}

function openSqlite(databaseUrl: string): Connected {
  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers proceed while one process writes; busy_timeout waits out a writer instead of failing.
  if (file !== ':memory:') database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
}

export interface ConnectOptions {
  /** PostgreSQL only: the schema the tables live in (see StoreOptions). */
  pgSchema?: string;
  /** PostgreSQL only: the server cancels a statement running longer (`statement_timeout`); 0 = never. */
  statementTimeoutMs?: number;
  /** PostgreSQL only: connections the pool keeps at most (pg's default, 10, when absent). */
  poolMax?: number;
}

/** A statement that runs longer is stuck (a lock, a runaway plan): it must not hold a connection for ever. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

async function openPostgres(databaseUrl: string, opts: ConnectOptions): Promise<Connected> {
  const { pgSchema, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS, poolMax } = opts;
  if (pgSchema !== undefined && !SCHEMA_NAME.test(pgSchema)) {
    throw new Error(`invalid PostgreSQL schema name '${pgSchema}' (lowercase letters, digits, _)`);
  }
  // Loaded only for PostgreSQL: a SQLite process does not carry the driver (~15 MB).
  const { Pool } = await import('pg');
  // Sent at connection start, so it is every pooled session's default (RESET comes back to it).
  const pool = new Pool({
    connectionString: databaseUrl,
    statement_timeout: Math.round(statementTimeoutMs) || undefined,
    ...(poolMax && { max: poolMax }),
  });
  // An idle pooled connection the server closed (a restart, a failover) is dropped by the pool, which
  // opens another at the next query; unhandled, its 'error' event would end the process.
  pool.on('error', () => undefined);
  const dialect = new PostgresDialect({
    pool,
    // Every pooled connection resolves unqualified table names in the chosen schema.
    onCreateConnection: pgSchema
      ? (conn) =>
          conn.executeQuery(CompiledQuery.raw(`set search_path to "${pgSchema}"`)).then(() => undefined)
      : undefined,
  });
  const db = new Kysely<Database>({ dialect });
  try {
    if (pgSchema) await sql`create schema if not exists ${sql.id(pgSchema)}`.execute(db);
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema;
    if (!schema) throw new Error('PostgreSQL has no current schema: check search_path');
    return { db, dialect: 'postgres', pgSchema: schema };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

export async function connect(databaseUrl: string, opts: ConnectOptions = {}): Promise<Connected> {
  if (databaseUrl.startsWith('sqlite:')) return openSqlite(databaseUrl);
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl, opts);
  throw new Error('database URL must start with sqlite:, postgres:// or postgresql://');
}

/**
 * Runs `fn` on one connection with no statement timeout: schema migrations may rewrite or index big
 * tables. The connection goes back to the pool with the timeout it started with.
 */
export async function withoutStatementTimeout<T>(
  { db, dialect }: Connected,
  fn: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialect !== 'postgres') return fn(db);
  return db.connection().execute(async (conn) => {
    await sql`set statement_timeout = 0`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`reset statement_timeout`.execute(conn);
    }
  });
}

/** Drops a PostgreSQL schema and everything in it (test isolation). */
export async function dropPgSchema(databaseUrl: string, pgSchema: string): Promise<void> {
  if (!SCHEMA_NAME.test(pgSchema) || pgSchema === 'public')
    throw new Error(`refusing to drop schema '${pgSchema}'`);
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await pool.query(`drop schema if exists "${pgSchema}" cascade`);
  } finally {
    await pool.end();
  }
}
