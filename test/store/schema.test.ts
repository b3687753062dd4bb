import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import SqliteDatabase from 'better-sqlite3';
import { createStore } from '../../store';
import { describeEachStore } from './targets';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describeEachStore('schema', (t) => {
  it('applies migrations once: reopening the same database is a no-op that keeps the data', async () => {
    const account = await t.store.accounts.create({ name: 'Persistent', plan: 'enterprise' });
    const { logger, lines } = capturingLogger();
    const again = await t.open({ logger });
    expect(await again.accounts.get(account.id)).toEqual(account);
    expect(lines.filter((l) => l.msg === 'store schema migrated')).toEqual([]);
    const third = await t.open();
    expect(await third.accounts.get(account.id)).toEqual(account);
    const applied = await t.raw.all<{ name: string }>('select name from kysely_migration order by name');
    expect(applied).toEqual([
      { name: '0001_initial' },
      { name: '0002_migration_items' },
      { name: '0003_migration_frontier' },
      { name: '0004_webhooks' },
      { name: '0005_syncs' },
      { name: '0006_sync_state' },
      { name: '0007_sync_idempotency' },
      { name: '0008_item_identity_and_names' },
      { name: '0009_local_grants' },
      { name: '0010_api_key_scopes' },
      { name: '0011_oauth_states' },
      { name: '0012_migration_batches' },
      { name: '0013_item_reason_groups' },
      { name: '0014_users_sessions' },
    ]);
  });

  it('has the tables, constraints and listing indexes', async () => {
    const indexes =
      t.backend === 'sqlite'
        ? await t.raw.all<{ name: string }>("select name from sqlite_master where type = 'index'")
        : await t.raw.all<{ name: string }>('select indexname as name from pg_indexes where schemaname = ?', [
            t.pgSchema,
          ]);
    const names = indexes.map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'migrations_account_created_idx',
        'connections_account_created_idx',
        'api_keys_account_idx',
        'migration_items_list_idx',
        'migration_items_status_idx',
        'syncs_account_idempotency_key',
      ]),
    );
    const account = await t.store.accounts.create({ name: 'C', plan: 'pro' });
    const now = new Date().toISOString();
    const insertKey = (id: string) =>
      t.raw.run(
        'insert into api_keys (id, account_id, name, prefix, key_hash, created_at) values (?, ?, ?, ?, ?, ?)',
        [id, account.id, 'n', 'mc_x', 'f'.repeat(64), now],
      );
    await insertKey('key_a');
    // Match on the driver's code: better-sqlite3's native errors come from another jest realm, so they fail instanceof.
    await expect(insertKey('key_b')).rejects.toMatchObject({
      code: t.backend === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505',
    });
  });

  it('answers ping', async () => {
    await expect(t.store.ping()).resolves.toBeUndefined();
  });
});

describe('schema [sqlite specifics]', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-schema-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent directory, uses WAL, and logs the migrations it applied', async () => {
    const file = path.join(dir, 'a', 'b', 'store.db');
    const { logger, lines } = capturingLogger();
    const store = await createStore(`sqlite:${file}`, { logger });
    try {
      expect(store.dialect).toBe('sqlite');
      expect(fs.existsSync(file)).toBe(true);
      expect(lines.filter((l) => l.msg === 'store schema migrated').map((l) => l.applied)).toEqual([
        [
          '0001_initial',
          '0002_migration_items',
          '0003_migration_frontier',
          '0004_webhooks',
          '0005_syncs',
          '0006_sync_state',
          '0007_sync_idempotency',
          '0008_item_identity_and_names',
          '0009_local_grants',
          '0010_api_key_scopes',
          '0011_oauth_states',
          '0012_migration_batches',
          '0013_item_reason_groups',
          '0014_users_sessions',
        ],
      ]);
      const raw = new SqliteDatabase(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    } finally {
      await store.close();
    }
  });

  it('lets several processes open one fresh file at once', async () => {
    const url = `sqlite:${path.join(dir, 'race.db')}`;
    const stores = await Promise.all([createStore(url), createStore(url), createStore(url)]);
    const account = await stores[0].accounts.create({ name: 'Race', plan: 'pro' });
    expect(await stores[2].accounts.get(account.id)).toEqual(account);
    await Promise.all(stores.map((s) => s.close()));
    const raw = new SqliteDatabase(path.join(dir, 'race.db'), { readonly: true });
    expect(raw.prepare('select name from kysely_migration').all()).toEqual([
      { name: '0001_initial' },
      { name: '0002_migration_items' },
      { name: '0003_migration_frontier' },
      { name: '0004_webhooks' },
      { name: '0005_syncs' },
      { name: '0006_sync_state' },
      { name: '0007_sync_idempotency' },
      { name: '0008_item_identity_and_names' },
      { name: '0009_local_grants' },
      { name: '0010_api_key_scopes' },
      { name: '0011_oauth_states' },
      { name: '0012_migration_batches' },
      { name: '0013_item_reason_groups' },
      { name: '0014_users_sessions' },
    ]);
    raw.close();
  });

  it('runs in memory', async () => {
    const store = await createStore('sqlite::memory:');
    const account = await store.accounts.create({ name: 'Mem', plan: 'pro' });
    expect(await store.accounts.get(account.id)).toEqual(account);
    await store.close();
  });

  it('refuses unknown URLs and unsafe schema names', async () => {
    await expect(createStore('mysql://localhost/x')).rejects.toThrow(
      /sqlite:, postgres:\/\/ or postgresql:\/\//,
    );
    await expect(createStore('sqlite:')).rejects.toThrow(/file path/);
    await expect(
      createStore('postgres://127.0.0.1:1/x', { pgSchema: 'x"; drop table y; --' }),
    ).rejects.toThrow(/invalid PostgreSQL schema name/);
  });
});
