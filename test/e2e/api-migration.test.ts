// The walking skeleton end to end: a client drives the real API over HTTP, a real worker runs the
// workflow on the real Temporal dev server, and the destination ends up byte-identical.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import { snapshotTree, walk, writeLargeFile, writeTree } from '../helpers/tree';

let api: TestApi;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) => openConnector(c, { config: api.config }),
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

async function pollUntilFinal(who: TestAccount, id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    const res = await request(api.app).get(`/v1/migrations/${id}`).set(who.auth);
    expect(res.status).toBe(200);
    seen.add(res.body.data.status);
    if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(res.body.data.status)) {
      return { migration: res.body.data, seen };
    }
    if (Date.now() > deadline) throw new Error(`migration ${id} still ${res.body.data.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('local → local migration through the API', () => {
  it('lists, migrates idempotently, reports progress and produces a byte-identical copy', async () => {
    const src = await connect(alice, 'src');
    const dst = await connect(alice, 'dst');
    const tree = writeTree(src.root, { folders: 30, filesPerFolder: 10, depth: 3, maxBytes: 10_000 });
    await writeLargeFile(path.join(src.root, 'video.bin'), 6 * 1024 * 1024);

    // With two local connections, naming the service alone is ambiguous.
    const ambiguous = await request(api.app)
      .get('/v1/files/list')
      .set(alice.auth)
      .send({ service: 'local', path: '/' });
    expectError(ambiguous, 400, 'invalid_parameter', /connection_id/);

    const listed = await request(api.app)
      .get('/v1/files/list')
      .set(alice.auth)
      .send({ connection_id: src.id, path: '/', recursive: true, page_size: 1000 });
    expect(listed.status).toBe(200);
    expect(listed.body.data.files).toHaveLength([...walk(src.root)].length);
    expect(listed.body.data.next_page_token).toBeNull();

    const body = {
      source: { connection_id: src.id, path: '/' },
      destination: { connection_id: dst.id, path: '/copy' },
      options: { conflict: 'skip' },
    };
    const started = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .set('Idempotency-Key', 'e2e-1')
      .send(body);
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    expect(started.headers.location).toBe(`/v1/migrations/${id}`);
    const retried = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .set('Idempotency-Key', 'e2e-1')
      .send(body);
    expect(retried.body.data.id).toBe(id);

    const { migration } = await pollUntilFinal(alice, id);
    expect({ status: migration.status, error: migration.error }).toEqual({
      status: 'completed',
      error: null,
    });
    expect(migration.progress).toMatchObject({
      files_discovered: tree.files + 1,
      files_copied: tree.files + 1,
      bytes_copied: tree.bytes + 6 * 1024 * 1024,
      files_failed: 0,
      listing_complete: true,
    });
    expect(migration.finished_at).toEqual(expect.any(String));
    expect(await snapshotTree(path.join(dst.root, 'copy'))).toEqual(await snapshotTree(src.root));

    const listedMigrations = await request(api.app).get('/v1/migrations?status=completed').set(alice.auth);
    expect(listedMigrations.body.data.migrations.map((m: { id: string }) => m.id)).toEqual([id]);

    // Another account sees none of it.
    expectError(await request(api.app).get(`/v1/migrations/${id}`).set(bob.auth), 404, 'resource_not_found');
    expect((await request(api.app).get('/v1/migrations').set(bob.auth)).body.data.migrations).toEqual([]);
    // A finished migration cannot be cancelled.
    expectError(await request(api.app).post(`/v1/migrations/${id}/cancel`).set(alice.auth), 409, 'conflict');
  });

  it('cancels a running migration through the API', async () => {
    const src = await connect(alice, 'src-cancel');
    const dst = await connect(alice, 'dst-cancel');
    writeTree(src.root, { folders: 80, filesPerFolder: 40, depth: 2, maxBytes: 1_000 });
    const started = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: src.id, path: '/' },
        destination: { connection_id: dst.id, path: '/' },
      });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    await new Promise((r) => setTimeout(r, 1_000));
    const cancelled = await request(api.app).post(`/v1/migrations/${id}/cancel`).set(alice.auth);
    expect(cancelled.status).toBe(202);
    const { migration } = await pollUntilFinal(alice, id);
    expect(migration.status).toBe('cancelled');
    expect(migration.progress.files_copied).toBeLessThan(80 * 40);
    expect([...walk(dst.root)].filter((e) => e.rel.includes('.mc-partial-'))).toEqual([]);
  });
});
