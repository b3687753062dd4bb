// Per-file outcomes through the API: a local → local migration with copies, conflict skips and
// failures (destination folders in the way), one batch retried twice by Temporal after injected
// transient write errors, read back through GET /v1/migrations/:id/items with paging and filters.
// Live progress shows throughput and an ETA once the listing is complete.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { itemActivities } from '../../activities/copy/items';
import { ConnectorError, openConnector, type Connector } from '../../connectors';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import { completeOptions } from '../../contract';

let api: TestApi;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let alice: TestAccount;
let bob: TestAccount;

/** Writes that fail (as a connection reset would) before the file goes through: two activity attempts' worth. */
const FLAKY = '/copy/z-late/flaky.txt';
const FLAKY_FAILURES = 6;
const writes = new Map<string, number>();

/**
 * The real local connector, whose writes of FLAKY fail transiently at first. Every file goes through
 * `write`: without its copy threads (connectors/local/direct.ts), which would not see the failures.
 */
function flaky(connector: Connector): Connector {
  return new Proxy(connector, {
    get(target, prop) {
      if (prop === 'localDirect') return undefined;
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== 'write') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: Parameters<Connector['write']>) => {
        const n = (writes.get(args[0]) ?? 0) + 1;
        writes.set(args[0], n);
        if (args[0] === FLAKY && n <= FLAKY_FAILURES) {
          args[1].destroy();
          throw new ConnectorError('retryable', 'injected connection reset', 5);
        }
        return target.write(...args);
      };
    },
  });
}

beforeAll(async () => {
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: async (c) => flaky(await openConnector(c, { config: api.config })),
    fileConcurrency: 4,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, api.taskQueue));
  workerRun = worker.run();
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
  await closeTemporal();
});

async function connect(who: TestAccount, name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(who.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

function put(root: string, rel: string, content: string | Buffer): number {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
  return Buffer.byteLength(content);
}

interface ItemBody {
  path: string;
  destination_path: string | null;
  size: number | null;
  status: string;
  reason: string | null;
  updated_at: string;
}

/** Walks every page of /items (page parameters in the query string or the JSON body, alternately). */
async function allItems(id: string, params: Record<string, string | number>): Promise<ItemBody[][]> {
  const pages: ItemBody[][] = [];
  let token: string | null = null;
  do {
    const p: Record<string, string | number> = token ? { ...params, page_token: token } : params;
    const res = await (
      pages.length % 2 === 0
        ? request(api.app).get(`/v1/migrations/${id}/items`).query(p)
        : request(api.app).get(`/v1/migrations/${id}/items`).send(p)
    ).set(alice.auth);
    expect(res.status).toBe(200);
    pages.push(res.body.data.items);
    token = res.body.data.next_page_token;
    if (pages.length > 100) throw new Error('paging does not end');
  } while (token);
  return pages;
}

describe('GET /v1/migrations/:id/items', () => {
  it('pages exact per-file outcomes by status; a retried batch leaves no duplicate rows', async () => {
    const src = await connect(alice, 'src');
    const dst = await connect(alice, 'dst');
    const sizes = new Map<string, number>();
    const add = (rel: string, content: string) => sizes.set(`/${rel}`, put(src.root, rel, content));
    add('a-clash/x.txt', 'x'.repeat(300));
    add('a-clash/y.txt', 'y'.repeat(301));
    for (const n of ['a', 'b', 'c']) add(`b-keep/${n}.txt`, `new ${n}`.repeat(50));
    for (let i = 0; i < 120; i++)
      add(`c-docs/doc-${String(i).padStart(3, '0')}.txt`, `doc ${i} `.repeat(100));
    add('z-late/flaky.txt', 'flaky '.repeat(1000));
    add('z-late/zz.txt', 'zz');
    // At the destination: folders where two files go (they fail), and three older files (skipped).
    fs.mkdirSync(path.join(dst.root, 'copy/a-clash/x.txt'), { recursive: true });
    fs.mkdirSync(path.join(dst.root, 'copy/a-clash/y.txt'), { recursive: true });
    for (const n of ['a', 'b', 'c']) put(dst.root, `copy/b-keep/${n}.txt`, 'old');

    const started = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: src.id, path: '/' },
        destination: { connection_id: dst.id, path: '/copy' },
        options: { conflict: 'skip' },
      });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;

    // Live progress while the last batch waits for its retries.
    const seen: Record<string, unknown>[] = [];
    let final: Record<string, unknown> & { status: string; progress: Record<string, unknown> };
    for (const deadline = Date.now() + 60_000; ;) {
      const res = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
      expect(res.status).toBe(200);
      final = res.body.data;
      if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(final.status)) break;
      if (final.status === 'running') seen.push(final.progress);
      if (Date.now() > deadline) throw new Error(`migration still ${final.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const p of seen) {
      expect(p.throughput_bytes_per_second).toEqual(expect.any(Number));
      expect(p).toHaveProperty('eta_seconds');
      if (!p.listing_complete) expect(p.eta_seconds).toBeNull();
    }
    // The first batch (100 files) is done and the listing complete long before the retried one.
    expect(seen).toContainEqual(
      expect.objectContaining({
        listing_complete: true,
        throughput_bytes_per_second: expect.any(Number),
        eta_seconds: expect.any(Number),
      }),
    );
    const moving = seen.filter((p) => typeof p.eta_seconds === 'number');
    for (const p of moving) {
      expect(p.throughput_bytes_per_second as number).toBeGreaterThan(0);
      expect(p.eta_seconds as number).toBeGreaterThan(0);
    }

    const total = sizes.size;
    expect(final.status).toBe('completed_with_errors');
    expect(final.progress).toMatchObject({
      files_discovered: total,
      files_copied: total - 5,
      files_skipped: 3,
      files_failed: 2,
      listing_complete: true,
      eta_seconds: 0,
    });
    // The flaky file's batch failed twice before it went through, and was then copied once.
    expect(writes.get(FLAKY)).toBe(FLAKY_FAILURES + 1);
    expect(fs.readFileSync(path.join(dst.root, 'copy/z-late/flaky.txt'), 'utf8')).toBe('flaky '.repeat(1000));
    expect(fs.readFileSync(path.join(dst.root, 'copy/b-keep/a.txt'), 'utf8')).toBe('old');

    // In the order recorded (lanes finish in any order): compared by path.
    const byPath = (a: ItemBody, b: ItemBody) => (a.path < b.path ? -1 : 1);
    const failed = (await allItems(id, { status: 'failed' })).flat().sort(byPath);
    expect(failed).toEqual(
      ['x', 'y'].map((n) => ({
        path: `/a-clash/${n}.txt`,
        // A local folder's files are named by their path.
        source_id: `/a-clash/${n}.txt`,
        destination_path: `/copy/a-clash/${n}.txt`,
        note: null,
        size: sizes.get(`/a-clash/${n}.txt`),
        status: 'failed',
        reason: 'A folder with this name exists at the destination',
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      })),
    );
    const skipped = (await allItems(id, { status: 'skipped', page_size: 2 })).flat().sort(byPath);
    expect(skipped.map((i) => [i.path, i.destination_path, i.size, i.status])).toEqual(
      ['a', 'b', 'c'].map((n) => [
        `/b-keep/${n}.txt`,
        `/copy/b-keep/${n}.txt`,
        sizes.get(`/b-keep/${n}.txt`),
        'skipped',
      ]),
    );
    for (const i of skipped) expect(i.reason).toMatch(/exists at the destination/);

    const copiedPages = await allItems(id, { status: 'copied', page_size: 7 });
    expect(copiedPages.map((p) => p.length)).toEqual([...Array(17).fill(7), 3]);
    const copied = copiedPages.flat();
    expect(new Set(copied.map((i) => i.path)).size).toBe(copied.length);
    const expectedCopied = [...sizes].filter(([p]) => !/^\/(a-clash|b-keep)\//.test(p));
    expect(copied.map((i) => [i.path, i.size, i.reason]).sort()).toEqual(
      expectedCopied.map(([p, size]) => [p, size, null]).sort(),
    );
    for (const i of copied) expect(i.destination_path).toBe(`/copy${i.path}`);

    // All statuses together: every file exactly once, though the last batch ran three times.
    const all = (await allItems(id, { page_size: 1000 })).flat();
    expect(all).toHaveLength(total);
    expect(new Set(all.map((i) => i.path)).size).toBe(total);
    const stored = await api.store.items.list(alice.id, id, {}, { pageSize: 1000 });
    expect(stored.items).toHaveLength(total);

    // Paging is stable: the same walk answers the same pages.
    expect(await allItems(id, { status: 'copied', page_size: 7 })).toEqual(copiedPages);

    // Bad input names the parameter; another account's migration does not exist for Bob.
    const items = (who: TestAccount, query: string) =>
      request(api.app).get(`/v1/migrations/${id}/items${query}`).set(who.auth);
    expectError(
      await items(alice, '?status=running'),
      400,
      'invalid_parameter',
      /'status'.*copied, skipped, failed/,
    );
    expectError(await items(alice, '?page_size=0'), 400, 'invalid_parameter', /'page_size'/);
    expectError(await items(alice, '?page_token=bogus'), 400, 'invalid_parameter', /'page_token'/);
    expectError(await items(alice, '?colour=red'), 400, 'invalid_parameter', /'colour'/);
    expectError(await items(bob, ''), 404, 'resource_not_found');
    expectError(await items(bob, '?status=failed'), 404, 'resource_not_found');
    expectError(
      await request(api.app).get('/v1/migrations/mig_doesNotExist0000000/items').set(alice.auth),
      404,
      'resource_not_found',
    );
  });

  it('a batch whose retries ran out: unreported files fail, files already copied stay copied', async () => {
    const m = await api.store.migrations.create({
      accountId: alice.id,
      source: { connectionId: 'conn_a', service: 'local', path: '/' },
      destination: { connectionId: 'conn_b', service: 'local', path: '/' },
      options: completeOptions({}),
    });
    const task = (n: number) => ({
      sourcePath: `/f${n}`,
      destinationPath: `/d/f${n}`,
      size: 100 + n,
      modifiedAt: null,
    });
    await api.store.items.record(alice.id, m.id, [
      {
        sourcePath: '/f1',
        sourceId: null,
        destinationPath: '/d/f1',
        size: 101,
        status: 'copied',
        reason: null,
        note: null,
      },
      {
        sourcePath: '/f2',
        sourceId: null,
        destinationPath: '/d/f2',
        size: 102,
        status: 'skipped',
        reason: 'exists',
        note: null,
      },
    ]);
    const batch = { accountId: alice.id, migrationId: m.id, files: [1, 2, 3, 4].map(task), reason: 'boom' };
    const counts = await itemActivities(api.store).recordExhaustedBatch(batch);
    expect(counts).toEqual({
      filesCopied: 1,
      bytesCopied: 101,
      filesSkipped: 1,
      bytesSkipped: 102,
      filesFailed: 2,
    });
    // Settled again (the store activity retried): the same rows, the same counts.
    expect(await itemActivities(api.store).recordExhaustedBatch(batch)).toEqual(counts);

    const res = await request(api.app).get(`/v1/migrations/${m.id}/items`).set(alice.auth);
    expect(res.body.data.items.map((i: ItemBody) => [i.path, i.status, i.size, i.reason])).toEqual([
      ['/f1', 'copied', 101, null],
      ['/f2', 'skipped', 102, 'exists'],
      ['/f3', 'failed', 103, 'Retries exhausted: boom'],
      ['/f4', 'failed', 104, 'Retries exhausted: boom'],
    ]);
    expect(res.body.data.next_page_token).toBeNull();
  });
});
