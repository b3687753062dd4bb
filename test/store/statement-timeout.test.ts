// PostgreSQL cancels a statement that runs too long (DATABASE_STATEMENT_TIMEOUT_SECONDS, default 30 s),
// so a stuck query cannot hold a pooled connection for ever; schema migrations run without the limit.
import { sql } from 'kysely';
import { randomBase62 } from '../../common/ids';
import { loadConfig } from '../../config';
import { createStore, dropPgSchema } from '../../store';
import { connect, withoutStatementTimeout, type Connected } from '../../store/connect';
import { isStoreUnavailable } from '../../store/util';
import { toAppError } from '../../api/http/errors';

const url = process.env.DATABASE_URL_TEST;
const describePg = url ? describe : describe.skip;
if (!url && process.env.CI === 'true') {
  it('has DATABASE_URL_TEST for the PostgreSQL statement timeout tests (required in CI)', () => {
    throw new Error('DATABASE_URL_TEST is not set');
  });
}

const show = async (db: Connected['db']) =>
  (await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db)).rows[0]!.statement_timeout;

describePg('statement timeout [postgres]', () => {
  const schema = `mc_test_${randomBase62(10).toLowerCase()}`;
  const opened: Connected[] = [];
  const open = async (statementTimeoutMs?: number) => {
    const c = await connect(url!, { pgSchema: schema, statementTimeoutMs });
    opened.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of opened) await c.db.destroy();
    await dropPgSchema(url!, schema);
  });

  it('is 30 s unless configured', async () => {
    expect(await show((await open()).db)).toBe('30s');
    expect(loadConfig({}).DATABASE_STATEMENT_TIMEOUT_SECONDS).toBe(30);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '5' }).DATABASE_STATEMENT_TIMEOUT_SECONDS).toBe(
      5,
    );
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '-1' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_SECONDS/,
    );
  });

  it('survives the server closing its idle connections (a restart), and reconnects', async () => {
    const { db } = await open();
    const pid = async () =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
    const before = await pid();
    const other = await open();
    await sql`select pg_terminate_backend(${before})`.execute(other.db);
    // The pool hears of it while the connection is idle: unhandled, that 'error' ended the process.
    await new Promise((r) => setTimeout(r, 200));
    expect(await pid()).not.toBe(before);
  });

  it('cancels a longer statement, and the pool goes on working', async () => {
    const { db } = await open(300);
    expect(await show(db)).toBe('300ms');
    await expect(sql`select pg_sleep(2)`.execute(db)).rejects.toThrow(/statement timeout/);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('is off for schema migrations, and back on afterwards', async () => {
    const connected = await open(300);
    const inside = await withoutStatementTimeout(connected, async (conn) => {
      await sql`select pg_sleep(0.6)`.execute(conn);
      return show(conn);
    });
    expect(inside).toBe('0');
    const after = await Promise.all([1, 2, 3].map(() => show(connected.db)));
    expect(after).toEqual(['300ms', '300ms', '300ms']);
    // createStore migrates a fresh schema that way, on one connection, then serves with the limit.
    const store = await createStore(url!, { pgSchema: `${schema}_m`, statementTimeoutSeconds: 5 });
    await store.ping();
    await store.close();
    await dropPgSchema(url!, `${schema}_m`);
  });

  it('keeps at most DATABASE_POOL_MAX connections per process', async () => {
    expect(loadConfig({}).DATABASE_POOL_MAX).toBe(10);
    const c = await connect(url!, { pgSchema: schema, poolMax: 2 });
    opened.push(c);
    const pids = await Promise.all(
      Array.from({ length: 6 }, () =>
        sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(c.db),
      ),
    );
    expect(new Set(pids.map((r) => r.rows[0]!.pid)).size).toBe(2);
  });

  it("answers the API's 503 service_error when the server refuses connections or cancels a statement", async () => {
    // A role allowed no connection: PostgreSQL refuses it with 53300, as it does when max_connections is reached.
    const admin = await open();
    await sql`drop role if exists mc_test_no_connections`.execute(admin.db);
    await sql`create role mc_test_no_connections login connection limit 0`.execute(admin.db);
    const refused = new URL(url!);
    refused.username = 'mc_test_no_connections';
    const c = await connect(refused.toString(), {}).catch((err: unknown) => err);
    const timedOut = await sql`select pg_sleep(2)`.execute((await open(100)).db).catch((err: unknown) => err);
    await sql`drop role mc_test_no_connections`.execute(admin.db);
    for (const err of [c, timedOut]) {
      expect(isStoreUnavailable(err)).toBe(true);
      expect(toAppError(err)).toMatchObject({ code: 'service_error', httpStatus: 503 });
    }
    expect(isStoreUnavailable(new Error('duplicate key'))).toBe(false);
  });
});
