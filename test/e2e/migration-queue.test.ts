// Per-account running slots, through the real API, a real worker and the real Temporal dev server: with
// one slot per account, an account's second and third migrations wait as `queued` (listed, cancellable)
// while another account's starts at once; the first one ending wakes the next, which completes.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector, type Connector } from '../../connectors';
import type { Connection } from '../../store/types';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { readingThrough } from '../helpers/connectors';
import { createTestWorker } from '../helpers/temporal';
import { snapshotTree, writeTree } from '../helpers/tree';

const FINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
/** Reads from connections named "drip-…" wait this long per file, so the first migration holds its slot. */
const DRIP_MS = 40;

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let worker: { worker: Worker; connection: NativeConnection; run: Promise<void> };

beforeAll(async () => {
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: async (c) => dripping(c, await openConnector(c, { config: api.config })),
    fileConcurrency: 2,
    maxRunningMigrations: 1,
  });
  const created = await createTestWorker(activities, api.taskQueue);
  worker = { ...created, run: created.worker.run() };
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.run;
  await worker?.connection.close();
  await api?.close();
  await closeTemporal();
});

function dripping(c: Connection, connector: Connector): Connector {
  if (!c.name.startsWith('drip-')) return connector;
  return readingThrough(connector, async (p, options) => {
    await sleep(DRIP_MS);
    return connector.openRead(p, options);
  });
}

async function connect(who: TestAccount, name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, `${who.id}-${name}`);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(who.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

async function start(who: TestAccount, src: { id: string }, dst: { id: string }): Promise<string> {
  const res = await request(api.app)
    .post('/v1/migrations')
    .set(who.auth)
    .send({
      source: { connection_id: src.id, path: '/' },
      destination: { connection_id: dst.id, path: '/' },
    });
  expect(res.status).toBe(202);
  return res.body.data.id as string;
}

const get = async (who: TestAccount, id: string) => {
  const res = await request(api.app).get(`/v1/migrations/${id}`).set(who.auth);
  expect(res.status).toBe(200);
  return res.body.data as { status: string; finished_at: string | null; progress: { files_copied: number } };
};

async function waitForStatus(
  who: TestAccount,
  id: string,
  ok: (status: string) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await get(who, id);
    if (ok(m.status)) return m;
    if (Date.now() > deadline) throw new Error(`migration ${id} is still ${m.status}`);
    await sleep(100);
  }
}

describe("an account's running slots", () => {
  it('queues what is over the limit, lets other accounts run, and starts the next when one ends', async () => {
    const slowSrc = await connect(alice, 'drip-src');
    const src = await connect(alice, 'src');
    const tree = writeTree(slowSrc.root, { folders: 4, filesPerFolder: 30, depth: 1, maxBytes: 1_000 });
    writeTree(src.root, { folders: 2, filesPerFolder: 10, depth: 1, maxBytes: 1_000 });
    const [d1, d2, d3] = [await connect(alice, 'd1'), await connect(alice, 'd2'), await connect(alice, 'd3')];

    const first = await start(alice, slowSrc, d1);
    await waitForStatus(alice, first, (s) => s === 'running');
    const second = await start(alice, src, d2);
    const third = await start(alice, src, d3);
    await waitForStatus(alice, second, (s) => s === 'queued');
    await waitForStatus(alice, third, (s) => s === 'queued');
    const listed = await request(api.app).get('/v1/migrations?status=queued').set(alice.auth);
    expect(listed.body.data.migrations.map((m: { id: string }) => m.id).sort()).toEqual(
      [second, third].sort(),
    );

    // Another account's slots are its own.
    const bobSrc = await connect(bob, 'src');
    const bobDst = await connect(bob, 'dst');
    writeTree(bobSrc.root, { folders: 1, filesPerFolder: 5, depth: 1, maxBytes: 500 });
    const bobs = await start(bob, bobSrc, bobDst);
    expect((await waitForStatus(bob, bobs, (s) => FINAL.includes(s))).status).toBe('completed');
    expect((await get(alice, second)).status).toBe('queued');

    // A queued migration can be cancelled; it never ran.
    expect((await request(api.app).post(`/v1/migrations/${third}/cancel`).set(alice.auth)).status).toBe(202);
    const cancelled = await waitForStatus(alice, third, (s) => FINAL.includes(s));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress.files_copied).toBe(0);
    expect(fs.readdirSync(d3.root)).toEqual([]);

    const firstDone = await waitForStatus(alice, first, (s) => FINAL.includes(s), 120_000);
    expect(firstDone.status).toBe('completed');
    expect(firstDone.progress.files_copied).toBe(tree.files);
    // Woken by the first one's end, not by its once-a-minute check.
    const secondDone = await waitForStatus(alice, second, (s) => FINAL.includes(s), 30_000);
    expect(secondDone.status).toBe('completed');
    expect(Date.parse(secondDone.finished_at!) - Date.parse(firstDone.finished_at!)).toBeLessThan(30_000);
    expect(await snapshotTree(d1.root)).toEqual(await snapshotTree(slowSrc.root));
    expect(await snapshotTree(d2.root)).toEqual(await snapshotTree(src.root));
  });
});
