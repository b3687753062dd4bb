// A recurring local → local sync end to end: the real API creates a Temporal Schedule on the dev server,
// a real worker runs each scheduled (or triggered) run as a migration, and pause, trigger and resume
// steer it. The interval is 2 s (the server's minimum lowered for the test).
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import type { PublishRequest } from '../../events';

let api: TestApi;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let alice: TestAccount;
/** What the runs published (the webhooks' own suite covers delivery). */
const published: PublishRequest[] = [];

interface Run {
  id: string;
  status: string;
  created_at: string;
  progress: { files_copied: number; files_skipped: number };
}

beforeAll(async () => {
  api = await createTestApi({ env: { SYNC_MIN_INTERVAL_SECONDS: '1' } });
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) => openConnector(c, { config: api.config }),
    fileConcurrency: 4,
    events: {
      async publish(r) {
        published.push(r);
        return { eventId: `evt_${published.length}`, deliveries: 0 };
      },
    },
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, api.taskQueue));
  workerRun = worker.run();
  alice = await api.account('pro', 'Alice');
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
  await closeTemporal();
});

async function connect(name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name, config: { root } });
  return { id: res.body.data.id as string, root };
}

const FINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runsOf = async (id: string): Promise<Run[]> =>
  (await request(api.app).get(`/v1/syncs/${id}/runs`).set(alice.auth)).body.data.migrations as Run[];
const allFinal = (runs: Run[]) => runs.every((r) => FINAL.includes(r.status));
const running = async (id: string) =>
  (await api.client.schedule.getHandle(`sync-${id}`).describe()).info.runningActions.length > 0;

describe('a recurring local → local sync', () => {
  it('runs on its interval, reports next_run_at and last_run, pauses, triggers and resumes', async () => {
    const src = await connect('src');
    const dst = await connect('dst');
    for (const name of ['a.txt', 'b.txt', 'c.txt']) fs.writeFileSync(path.join(src.root, name), `${name}\n`);

    const created = await request(api.app)
      .post('/v1/syncs')
      .set(alice.auth)
      .send({
        source: { connection_id: src.id, path: '/' },
        destination: { connection_id: dst.id, path: '/mirror' },
        schedule: { interval: '2s' },
      });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;

    // The schedule starts the first run by itself; it copies everything.
    const first = await until(
      'a first completed run',
      () => runsOf(id),
      (r) => r.length > 0 && allFinal(r),
    );
    expect(first[first.length - 1]).toMatchObject({ status: 'completed', progress: { files_copied: 3 } });
    expect(fs.readFileSync(path.join(dst.root, 'mirror/b.txt'), 'utf8')).toBe('b.txt\n');

    const read = await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth);
    expect(read.body.data).toMatchObject({ state: 'active', next_run_at: expect.any(String) });
    expect(Date.parse(read.body.data.next_run_at as string)).toBeGreaterThan(
      Date.parse(first[0]!.created_at),
    );
    const lastRun = read.body.data.last_run as { migration_id: string; status: string };
    const runs = await runsOf(id);
    expect(lastRun.migration_id).toBe(runs[0]!.id);
    // A run is an ordinary migration: the migration endpoints show it.
    const asMigration = await request(api.app).get(`/v1/migrations/${lastRun.migration_id}`).set(alice.auth);
    expect(asMigration.body.data).toMatchObject({
      id: lastRun.migration_id,
      destination: { path: '/mirror' },
    });
    // Newest first.
    const times = runs.map((r) => r.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    // Paused: once the run in progress (if any) ends, no new one starts over two intervals.
    const paused = await request(api.app).post(`/v1/syncs/${id}/pause`).set(alice.auth);
    expect(paused.body.data).toMatchObject({ state: 'paused', next_run_at: null });
    await until(
      'the run in progress to end',
      () => running(id),
      (r) => !r,
    );
    const atPause = await until('all runs to finish', () => runsOf(id), allFinal);
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await runsOf(id)).length).toBe(atPause.length);

    // Trigger starts one now, paused or not; only the new file is copied, the rest is unchanged.
    fs.writeFileSync(path.join(src.root, 'd.txt'), 'new\n');
    const triggered = await request(api.app).post(`/v1/syncs/${id}/trigger`).set(alice.auth);
    expect(triggered.status).toBe(202);
    const afterTrigger = await until(
      'the triggered run',
      () => runsOf(id),
      (r) => r.length === atPause.length + 1 && allFinal(r),
    );
    expect(afterTrigger[0]).toMatchObject({ status: 'completed', progress: { files_copied: 1 } });
    expect(fs.readFileSync(path.join(dst.root, 'mirror/d.txt'), 'utf8')).toBe('new\n');
    const synced = await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth);
    expect(synced.body.data.last_run).toEqual({ migration_id: afterTrigger[0]!.id, status: 'completed' });
    expect(synced.body.data.state).toBe('paused');

    // A position left by an earlier run, which the next completed run must replace with its own.
    expect(await api.store.syncs.saveCursor(id, afterTrigger[0]!.id, 'earlier-position')).toBe(true);

    // Resumed: the schedule runs again by itself.
    const resumed = await request(api.app).post(`/v1/syncs/${id}/resume`).set(alice.auth);
    expect(resumed.body.data).toMatchObject({ state: 'active', next_run_at: expect.any(String) });
    await until(
      'a scheduled run after resume',
      () => runsOf(id),
      (r) => r.length > afterTrigger.length,
    );

    // Every run announced itself once, naming the sync and its migration (counted once runs have stopped).
    await request(api.app).post(`/v1/syncs/${id}/pause`).set(alice.auth);
    await until(
      'the run in progress to end',
      () => running(id),
      (r) => !r,
    );
    const finalRuns = await until('the last run to finish', () => runsOf(id), allFinal);
    const started = published.filter((e) => e.type === 'sync.run_started');
    expect(started.map((e) => e.data.migration_id).sort()).toEqual(finalRuns.map((r) => r.id).sort());
    expect(started[0]).toMatchObject({
      accountId: alice.id,
      data: { sync_id: id, source: { connection_id: src.id, path: '/' }, destination: { path: '/mirror' } },
    });

    // The last run completed: the sync keeps the cursor its migration handed back (null without a feed).
    expect(finalRuns[0]!.status).toBe('completed');
    const result = (await api.client.workflow.getHandle(`migration-${finalRuns[0]!.id}`).result()) as {
      cursor?: string | null;
    };
    await until(
      'the cursor to be saved',
      async () => (await api.store.syncs.getById(id))?.cursor,
      (c) => c === (result.cursor ?? null),
      5_000,
    );

    const deleted = await request(api.app).delete(`/v1/syncs/${id}`).set(alice.auth);
    expect(deleted.status).toBe(200);
    expect((await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth)).status).toBe(404);
  });
});
