// A migration's status is one state machine (contract STATUS_TRANSITIONS, enforced by the store's
// conditional updates), and the races around it settle right: a start that timed out after Temporal did
// start the workflow, a migration settled before its workflow began, a cancel that arrives after the
// migration finished. And progress survives: the store's counters move while the migration runs, so
// GET never shows zero (or goes back) when no worker answers the live query.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
} from '../../contract';
import type { Migration } from '../../store/types';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import { writeTree } from '../helpers/tree';

let api: TestApi;
let alice: TestAccount;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
/** Milliseconds each source read waits, so that a migration is still running when the test looks. */
let readDelayMs = 0;

beforeAll(async () => {
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: async (c) => {
      const connector = await openConnector(c, { config: api.config });
      const openRead: typeof connector.openRead = async (p, o) => {
        if (readDelayMs) await sleep(readDelayMs);
        return connector.openRead(p, o);
      };
      // Every file is read through `openRead`: without the local copy threads (connectors/local/direct.ts).
      return { ...connector, openRead, localDirect: undefined };
    },
    fileConcurrency: 2,
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

async function connect(name: string, files = 0): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  if (files) writeTree(root, { folders: 1, filesPerFolder: files, depth: 1, maxBytes: 200 });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

async function record(src: { id: string }, dst: { id: string }): Promise<Migration> {
  return api.store.migrations.create({
    accountId: alice.id,
    source: { connectionId: src.id, service: 'local', path: '/' },
    destination: { connectionId: dst.id, service: 'local', path: '/' },
    options: completeOptions({}),
  });
}

const inputOf = (m: Migration): MigrationWorkflowInput => ({
  migrationId: m.id,
  accountId: m.accountId,
  source: m.source,
  destination: m.destination,
  options: m.options,
});

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(100);
  }
}

describe('the state machine in the store', () => {
  it('never changes a final status; writing the same one again is a no-op; running and paused alternate', async () => {
    const src = await connect('sm-src');
    const m = await record(src, await connect('sm-dst'));
    const update = (status: Migration['status']) => api.store.migrations.update(m.id, { status });
    expect((await update('paused'))!.status).toBe('paused');
    expect((await update('running'))!.status).toBe('running');
    const done = (await update('completed'))!;
    expect(done.status).toBe('completed');
    for (const other of ['cancelled', 'failed', 'running', 'paused', 'pending'] as const) {
      expect((await update(other))!.status).toBe('completed');
    }
    expect(
      (await api.store.migrations.update(m.id, { progress: { ...m.progress, filesCopied: 9 } }))!.progress
        .filesCopied,
    ).toBe(0);
    expect((await update('completed'))!.finishedAt).toBe(done.finishedAt);
  });
});

describe('races', () => {
  it('a start that timed out after Temporal did start the workflow answers 202, and the migration runs', async () => {
    // The real client, whose start lands but whose answer is lost (the API's deadline passes).
    const lossy: Client = new Proxy(api.client, {
      get(target, prop, receiver) {
        if (prop !== 'workflow') return Reflect.get(target, prop, receiver);
        return new Proxy(target.workflow, {
          get(w, p, r) {
            if (p !== 'start') return Reflect.get(w, p, r);
            return async (...args: Parameters<typeof w.start>) => {
              await w.start(...args);
              throw new Error('Deadline exceeded');
            };
          },
        });
      },
    });
    const racy = await createTestApi({
      client: lossy,
      store: api.store,
      taskQueue: api.taskQueue,
      env: { MIGRATECLOUDS_LOCAL_ROOTS: api.root },
    });
    const src = await connect('race-src', 5);
    const dst = await connect('race-dst');
    const res = await request(racy.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: src.id, path: '/' },
        destination: { connection_id: dst.id, path: '/' },
      });
    expect(res.status).toBe(202);
    const id = res.body.data.id as string;
    // Temporal had it: nothing was marked failed, and the run records its own outcome.
    const m = await waitFor(
      'the migration to finish',
      async () => (await api.store.migrations.get(alice.id, id))!,
      (row) => row.status === 'completed' || row.status === 'failed',
    );
    expect(m).toMatchObject({ status: 'completed', error: null });
    expect(m.progress.filesCopied).toBe(5);
    await racy.close();
  });

  it('a migration settled before its workflow began: the workflow finds it final and does nothing', async () => {
    const src = await connect('settled-src', 5);
    const dst = await connect('settled-dst');
    const m = await record(src, dst);
    await api.store.migrations.update(m.id, { status: 'cancelled' });
    const result: MigrationSnapshot = await api.client.workflow.execute(MIGRATION_WORKFLOW_TYPE, {
      taskQueue: api.taskQueue,
      workflowId: m.workflowId,
      args: [inputOf(m)],
    });
    expect(result.status).toBe('cancelled');
    expect(fs.readdirSync(dst.root)).toEqual([]);
    expect((await api.store.migrations.get(alice.id, m.id))!.status).toBe('cancelled');
  });

  it('a cancel that arrives after the migration completed answers 409 and leaves it completed', async () => {
    const m = await completedMigration('late');
    expect((await api.store.migrations.get(alice.id, m.id))!.status).toBe('completed');
    // The API read the migration while it still ran (a stale read), then the workflow finished.
    const stale = await apiReading((row) => ({ ...row, status: 'running' }));
    const res = await request(stale.app).post(`/v1/migrations/${m.id}/cancel`).set(alice.auth);
    expectError(res, 409, 'conflict', `Migration ${m.id} is already completed`);
    expect((await api.store.migrations.get(alice.id, m.id))!.status).toBe('completed');
    await stale.close();
  });

  it('a GET that read the row just before the workflow settled shows the settled row, finished_at included', async () => {
    const m = await completedMigration('settling');
    // The first read sees the row as it was an instant before the final status was recorded.
    let reads = 0;
    const racing = await apiReading((row) =>
      reads++ === 0 ? { ...row, status: 'running', finishedAt: null } : row,
    );
    const res = await request(racing.app).get(`/v1/migrations/${m.id}`).set(alice.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('completed');
    expect(res.body.data.finished_at).toEqual(expect.any(String));
    expect(res.body.data.progress.files_copied).toBe(3);
    await racing.close();
  });
});

/** A migration of three files, run to completion by its workflow. */
async function completedMigration(name: string): Promise<Migration> {
  const m = await record(await connect(`${name}-src`, 3), await connect(`${name}-dst`));
  await api.client.workflow.execute(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: api.taskQueue,
    workflowId: m.workflowId,
    args: [inputOf(m)],
  });
  return m;
}

/** Another API on the same store and Temporal, whose reads of a migration go through `read`. */
const apiReading = (read: (row: Migration) => Migration) =>
  createTestApi({
    env: { MIGRATECLOUDS_LOCAL_ROOTS: api.root },
    store: {
      ...api.store,
      migrations: {
        ...api.store.migrations,
        get: async (a, i) => read((await api.store.migrations.get(a, i))!),
      },
    },
  });

describe('progress survives', () => {
  it('the stored counters move while the migration runs, never back', async () => {
    const src = await connect('progress-src', 60);
    const dst = await connect('progress-dst');
    const m = await record(src, dst);
    readDelayMs = 250;
    try {
      const handle = await api.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
        taskQueue: api.taskQueue,
        workflowId: m.workflowId,
        args: [{ ...inputOf(m), tuning: { batchMaxFiles: 10, concurrency: 1 } }],
      });
      const seen: number[] = [];
      const stored = () => api.store.migrations.get(alice.id, m.id) as Promise<Migration>;
      await waitFor('stored progress while running', stored, (row) => {
        seen.push(row.progress.filesCopied);
        return row.status === 'running' && row.progress.filesCopied > 0;
      });
      await handle.result();
      const final = await stored();
      expect(final.progress.filesCopied).toBe(60);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    } finally {
      readDelayMs = 0;
    }
  });
});
