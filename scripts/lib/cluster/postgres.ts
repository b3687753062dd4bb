// PostgreSQL for `npm run cluster`: the Temporal databases, created and migrated by Temporal's own
// temporal-sql-tool from the schemas embedded in the server module (the same steps as
// deploy/temporal/setup-postgres.sh in docker-compose.yml), and the product's store database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PostgresTarget } from './temporal-config';
import { TEMPORAL_DATABASE, VISIBILITY_DATABASE } from './temporal-config';

const run = promisify(execFile);

/** TEMPORAL_POSTGRES_URL (default: the local server as `postgres`, trust auth) as the tools need it. */
export function postgresTarget(url = process.env.TEMPORAL_POSTGRES_URL): PostgresTarget {
  const parsed = new URL(url || 'postgres://postgres@127.0.0.1:5432');
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new Error(`TEMPORAL_POSTGRES_URL must be a postgres:// URL, got "${url}"`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: decodeURIComponent(parsed.password),
  };
}

/** The product's store on the same server, unless DATABASE_URL names a PostgreSQL database already. */
export function storeUrl(db: PostgresTarget, databaseUrl = process.env.DATABASE_URL): string {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) return databaseUrl;
  const auth = db.password
    ? `${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}`
    : encodeURIComponent(db.user);
  return `postgres://${auth}@${db.host}:${db.port}/migrateclouds`;
}

/** Creates the database of `url` when it is missing (connecting to the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { Client } = await import('pg');
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Creates and migrates Temporal's two databases; safe to re-run (only newer schema versions apply). */
export async function setUpTemporalSchemas(sqlTool: string, db: PostgresTarget, log: (line: string) => void) {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user];
  if (db.password) base.push('--pw', db.password);
  const tool = (args: string[]) => run(sqlTool, [...base, ...args], { timeout: 120_000 });
  for (const [name, schema] of [
    [TEMPORAL_DATABASE, 'postgresql/v12/temporal'],
    [VISIBILITY_DATABASE, 'postgresql/v12/visibility'],
  ] as const) {
    await tool(['--db', name, 'create-database']).catch((err: { stderr?: string }) => {
      if (!/already exists/i.test(String(err.stderr ?? err))) throw err;
    });
    // Stamps a new database at version 0.0 and leaves a stamped one alone; then only newer versions apply.
    await tool(['--db', name, 'setup-schema', '-v', '0.0']);
    await tool(['--db', name, 'update-schema', '-s', schema]);
    log(`database ${name}: schema ${schema} up to date`);
  }
}

/** The server's `max_connections`. */
export async function maxConnections(db: PostgresTarget): Promise<number> {
  const { Client } = await import('pg');
  const client = new Client({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ max_connections: string }>('show max_connections');
    return Number(rows[0]!.max_connections);
  } finally {
    await client.end();
  }
}
