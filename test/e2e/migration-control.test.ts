// Pause, resume and cancel through the real API, a real worker (stopped and replaced while a migration
// is paused) and the real Temporal dev server. Sources read slowly (a delay per file, or a byte rate for
// one large file) so that migrations are still running when the test steers them.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector, type Connector } from '../../connectors';
import { newId } from '../../common/ids';
import { type Connection } from '../../store/types';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { readingThrough } from '../helpers/connectors';
import { createTestWorker } from '../helpers/temporal';
import { snapshotTree, walk, writeLargeFile, writeTree } from '../helpers/tree';
import {
  completeOptions,
  emptyProgress,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationWorkflowInput,
} from '../../contract';

const FINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
/** Source connections named so read slowly: "drip-…" waits before each file, "slow-…" streams at a byte rate. */
const DRIP_MS = 25;
const SLOW_BYTES_PER_SECOND = 4 * 1024 * 1024;

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let activities: ReturnType<typeof createActivities>;
let current: { worker: Worker; connection: NativeConnection; run: Promise<void> } | undefined;

async function startWorker() {
  const { worker, connection } = await createTestWorker(activities, api.taskQueue);
  current = { worker, connection, run: worker.run() };
}
async function stopWorker() {
  if (!current) return;
  current.worker.shutdown();
  await current.run;
  await current.connection.close();
  current = undefined;
}

beforeAll(async () => {
  api = await createTestApi();
  activities = createActivities({
    store: api.store,
    connectorFactory: async (c) => slowed(c, await openConnector(c, { config: api.config })),
    fileConcurrency: 4,
  });
  await startWorker();
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
});

afterAll(async () => {
  await stopWorker();
  await api?.close();
  await closeTemporal();
});

/** The connector, with its reads slowed as the connection's name asks. */
function slowed(c: Connection, connector: Connector): Connector {
  const drip = c.name.startsWith('drip-');
  const slow = c.name.startsWith('slow-');
  if (!drip && !slow) return connector;
  const openRead: Connector['openRead'] = async (p, options) => {
    if (drip) await sleep(DRIP_MS);
    const input = await connector.openRead(p, options);
    return slow ? Readable.from(atRate(input, SLOW_BYTES_PER_SECOND)) : input;
  };
  return readingThrough(connector, openRead);
}

async function* atRate(input: Readable, bytesPerSecond: number): AsyncGenerator<Buffer> {
  const piece = 64 * 1024;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i += piece) {
      const part = chunk.subarray(i, i + piece);
      await sleep((part.length / bytesPerSecond) * 1000);
      yield part;
    }
  }
}

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

async function startMigration(src: { id: string }, dst: { id: string }): Promise<string> {
  const res = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: src.id, path: '/' },
      destination: { connection_id: dst.id, path: '/' },
    });
  expect(res.status).toBe(202);
  return res.body.data.id as string;
}

const get = async (id: string) => {
  const res = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
  expect(res.status).toBe(200);
  return res.body.data;
};
const control = (id: string, action: 'pause' | 'resume' | 'cancel', who = alice) =>
  request(api.app).post(`/v1/migrations/${id}/${action}`).set(who.auth);

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(200);
  }
}
const untilFinal = (id: string, timeoutMs?: number) =>
  waitFor(
    `migration ${id} to finish`,
    () => get(id),
    (m) => FINAL.includes(m.status),
    timeoutMs,
  );

/** Copy and exploring activities the migration's workflow has running (store writes aside). */
async function workActivities(id: string): Promise<string[]> {
  const m = await api.store.migrations.getById(id);
  const d = await api.client.workflow.getHandle(m!.workflowId).describe();
  return (d.raw.pendingActivities ?? [])
    .map((a) => a.activityType?.name ?? '')
    .filter((name) => name !== 'recordMigrationProgress');
}

/**
 * Once work in flight has finished, a paused migration starts no other work: counters stay put. An
 * exploring page or copy that just finished may still be counted by the workflow's next task (a query
 * answers from the last processed one), so it looks twice, a few seconds apart, until nothing moves.
 */
async function expectHeld(id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await waitFor(
      'copies in flight to finish',
      () => workActivities(id),
      (a) => a.length === 0,
      20_000,
    );
    const before = await get(id);
    await sleep(2_500);
    const after = await get(id);
    expect(after.status).toBe('paused');
    const still = JSON.stringify(counters(after)) === JSON.stringify(counters(before));
    if (still && (await workActivities(id)).length === 0) return after;
    if (Date.now() > deadline) {
      expect(counters(after)).toEqual(counters(before));
      expect(await workActivities(id)).toEqual([]);
    }
  }
}

/** Progress without the throughput, which falls while nothing moves. */
const counters = (m: { progress: Record<string, unknown> }) => {
  const { throughput_bytes_per_second: _, ...rest } = m.progress;
  return rest;
};

const partials = (root: string) => [...walk(root)].filter((e) => e.rel.includes('.mc-partial-'));

describe('pause and resume through the API', () => {
  it('pauses between files, stays paused across a worker restart, and resumes to a byte-identical copy', async () => {
    const src = await connect(alice, 'drip-src');
    const dst = await connect(alice, 'dst');
    const tree = writeTree(src.root, { folders: 40, filesPerFolder: 40, depth: 3, maxBytes: 2_000 });
    const id = await startMigration(src, dst);
    await waitFor(
      'first copies',
      () => get(id),
      (m) => m.progress.files_copied > 0,
    );

    const paused = await control(id, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body.data).toMatchObject({ id, status: 'paused' });
    const held = await expectHeld(id);
    expect(held.progress.files_copied).toBeLessThan(tree.files);
    // The store says so too: lists read it.
    await waitFor(
      'the stored status',
      async () => (await request(api.app).get('/v1/migrations?status=paused').set(alice.auth)).body.data,
      (d) => d.migrations.some((m: { id: string }) => m.id === id),
    );
    // Pausing again changes nothing; another account's migration is not found.
    const again = await control(id, 'pause');
    expect(again.status).toBe(200);
    expect(again.body.data.status).toBe('paused');
    expect(counters(again.body.data)).toEqual(counters(held));
    expectError(
      await control(id, 'pause', bob),
      404,
      'resource_not_found',
      `Migration '${id}' was not found`,
    );
    expectError(await control(id, 'resume', bob), 404, 'resource_not_found');

    // A new worker replays the history: still paused, nothing moves.
    await stopWorker();
    // No worker to ask: the signal waits in the history, and the answer is what it will do.
    const unanswered = await control(id, 'pause');
    expect(unanswered.status).toBe(200);
    expect(unanswered.body.data.status).toBe('paused');
    await startWorker();
    const afterRestart = await expectHeld(id);
    expect(counters(afterRestart)).toEqual(counters(held));

    const resumed = await control(id, 'resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.data.status).toBe('running');
    // Resuming a running migration changes nothing.
    const twice = await control(id, 'resume');
    expect(twice.status).toBe(200);
    expect(twice.body.data.status).toBe('running');

    const done = await untilFinal(id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'completed', error: null });
    expect(done.progress.files_copied + done.progress.files_skipped).toBe(tree.files);
    expect(done.progress.files_failed).toBe(0);
    expect(await snapshotTree(dst.root)).toEqual(await snapshotTree(src.root));
    expect(partials(dst.root)).toEqual([]);

    // Finished: every control answers 409 and names the status.
    for (const action of ['pause', 'resume', 'cancel'] as const) {
      expectError(await control(id, action), 409, 'conflict', `Migration ${id} is already completed`);
    }
  }, 120_000);

  it('holds a run continued-as-new while paused, and pauses again after continuing as new', async () => {
    const src = await connect(alice, 'drip-src-can');
    const dst = await connect(alice, 'dst-can');
    const tree = writeTree(src.root, { folders: 30, filesPerFolder: 10, depth: 2, maxBytes: 500 });
    const source = { connectionId: src.id, service: 'local' as const, path: '/' };
    const destination = { connectionId: dst.id, service: 'local' as const, path: '/' };
    const options = completeOptions({ conflict: 'skip' as const });
    const migration = await api.store.migrations.create({
      accountId: alice.id,
      source,
      destination,
      options,
    });
    // What a run paused at its continue-as-new hands on (its store write already said paused).
    await api.store.migrations.update(migration.id, { status: 'running' });
    await api.store.migrations.update(migration.id, { status: 'paused' });
    const input: MigrationWorkflowInput = {
      migrationId: migration.id,
      accountId: alice.id,
      source,
      destination,
      options,
      carried: {
        frontier: [{ path: '/', pageToken: null }],
        progress: emptyProgress(),
        firstError: null,
        startedAtMs: Date.now(),
        paused: true,
      },
      // Small steps: the history reaches the dev server's suggestion (300 events) several times.
      tuning: { exploreEntries: 10, batchMaxFiles: 5, concurrency: 1 },
    };
    const handle = await api.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
      taskQueue: api.taskQueue,
      workflowId: migration.workflowId,
      args: [input],
    });
    const firstRunId = handle.firstExecutionRunId;

    const held = await expectHeld(migration.id);
    expect(held.progress.files_copied).toBe(0);
    expect((await control(migration.id, 'resume')).body.data.status).toBe('running');
    await waitFor(
      'the running status in the store',
      async () => (await api.store.migrations.getById(migration.id))?.status,
      (s) => s === 'running',
    );

    // Once it has continued as new, pause the new run.
    const latest = api.client.workflow.getHandle(migration.workflowId);
    await waitFor(
      'a continue-as-new',
      async () => (await latest.describe()).runId,
      (runId) => runId !== firstRunId,
    );
    expect((await control(migration.id, 'pause')).body.data.status).toBe('paused');
    const heldAgain = await expectHeld(migration.id);
    expect(heldAgain.progress.files_copied).toBeLessThan(tree.files);
    expect((await control(migration.id, 'resume')).status).toBe(200);

    const done = await untilFinal(migration.id);
    expect(done.status).toBe('completed');
    expect(done.progress.files_copied).toBe(tree.files);
    expect(await snapshotTree(dst.root)).toEqual(await snapshotTree(src.root));
    const first = await api.client.workflow.getHandle(migration.workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  }, 120_000);
});

describe('cancel', () => {
  it('cancels a paused migration', async () => {
    const src = await connect(alice, 'drip-src-cancel');
    const dst = await connect(alice, 'dst-cancel');
    const tree = writeTree(src.root, { folders: 30, filesPerFolder: 40, depth: 2, maxBytes: 1_000 });
    const id = await startMigration(src, dst);
    await waitFor(
      'first copies',
      () => get(id),
      (m) => m.progress.files_copied > 0,
    );
    expect((await control(id, 'pause')).body.data.status).toBe('paused');
    await expectHeld(id);

    const cancelled = await control(id, 'cancel');
    expect(cancelled.status).toBe(202);
    const done = await untilFinal(id, 15_000);
    expect(done.status).toBe('cancelled');
    expect(done.progress.files_copied).toBeLessThan(tree.files);
    expect(partials(dst.root)).toEqual([]);
    expectError(await control(id, 'resume'), 409, 'conflict', `Migration ${id} is already cancelled`);
  }, 60_000);

  it('cancels a migration whose workflow never started, and says so to webhooks', async () => {
    const src = await connect(alice, 'never-src');
    const webhook = await api.store.webhooks.create({
      id: newId('wh'),
      accountId: alice.id,
      url: 'https://hooks.example.com/mc',
      events: ['migration.cancelled'],
      description: null,
      secret: 'sealed',
    });
    // Recorded, but its workflow never started (as when Temporal refused the start).
    const end = { connectionId: src.id, service: 'local' as const, path: '/' };
    const m = await api.store.migrations.create({
      accountId: alice.id,
      source: end,
      destination: { ...end, path: '/copy' },
      options: completeOptions({}),
    });
    const cancelled = await control(m.id, 'cancel');
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.data.status).toBe('cancelled');
    const { items } = await api.store.webhooks.listDeliveries(alice.id, webhook.id, { pageSize: 10 });
    expect(items.map((d) => d.eventType)).toEqual(['migration.cancelled']);
    await api.store.webhooks.delete(alice.id, webhook.id);
  });

  it('stops a large file in flight within seconds and leaves nothing of it at the destination', async () => {
    const src = await connect(alice, 'slow-src');
    const dst = await connect(alice, 'dst-large');
    // About 16 s at the source's rate: cancelled after 2.
    await writeLargeFile(path.join(src.root, 'video.bin'), 64 * 1024 * 1024);
    const id = await startMigration(src, dst);
    await waitFor(
      'the upload to be under way',
      async () => partials(dst.root).length,
      (n) => n > 0,
      20_000,
    );
    await sleep(2_000);

    const t0 = Date.now();
    expect((await control(id, 'cancel')).status).toBe(202);
    const done = await untilFinal(id, 30_000);
    const took = Date.now() - t0;
    expect(done.status).toBe('cancelled');
    expect(done.progress.files_copied).toBe(0);
    expect([...walk(dst.root)]).toEqual([]);
    expect(took).toBeLessThan(4_000);
  }, 60_000);
});
