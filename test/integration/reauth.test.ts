// A revoked authorization during a migration: the source's refresh token is revoked at the provider
// (its emulator) and every access token expired, so the first call must refresh and is refused. The
// migration, run by a real worker on the real dev server, fails saying the connection must be
// authorized again; the connection is marked needs_reauth; the next migration from it fails at once.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createSecretBox } from '../../common/secret-box';
import { openConnector } from '../../connectors';
import {
  grantRefreshToken,
  revokeAndExpire,
  SAMPLE_TREE,
  startCloudEmulators,
  type CloudEmulators,
} from '../api/cloud-emulators';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';

let emus: CloudEmulators;
let api: TestApi;
let alice: TestAccount;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;

beforeAll(async () => {
  emus = await startCloudEmulators();
  emus.byService.google_drive.seed({ files: 0, tree: SAMPLE_TREE });
  api = await createTestApi({ env: emus.env });
  const box = createSecretBox(emus.env.MIGRATECLOUDS_ENCRYPTION_KEY!);
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) =>
      openConnector(c, { credentials: api.store.connections, config: api.config, box }),
    fileConcurrency: 4,
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
  await emus?.close();
  await closeTemporal();
});

async function migrate(source: string, destination: string) {
  const res = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: source, path: '/' },
      destination: { connection_id: destination, path: '/' },
    });
  expect(res.status).toBe(202);
  const id = res.body.data.id as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const got = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
    const { status } = got.body.data as { status: string };
    if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(status)) {
      return got.body.data as { status: string; error: string | null };
    }
    if (Date.now() > deadline) throw new Error(`migration ${id} still ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('fails a migration whose source was revoked, and marks the connection needs_reauth', async () => {
  const drive = emus.byService.google_drive;
  const refreshToken = await grantRefreshToken(drive);
  const source = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'google_drive', name: 'Drive', refresh_token: refreshToken });
  expect(source.status).toBe(201);
  const sourceId = source.body.data.id as string;
  const root = path.join(api.root, 'backup');
  fs.mkdirSync(root);
  const destination = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name: 'Backup', config: { root } });
  const destinationId = destination.body.data.id as string;

  await revokeAndExpire(drive, refreshToken);
  const first = await migrate(sourceId, destinationId);
  expect(first.status).toBe('failed');
  expect(first.error).toContain(`Connection ${sourceId} needs to be authorized again`);
  expect(first.error).toMatch(/Google refused the refresh token/);
  expect(first.error).not.toContain(refreshToken);
  expect(fs.readdirSync(root)).toEqual([]);

  const shown = await request(api.app).get(`/v1/connections/${sourceId}`).set(alice.auth);
  expect(shown.body.data.status).toBe('needs_reauth');

  // The next migration from it is refused before the provider is asked again.
  const second = await migrate(sourceId, destinationId);
  expect(second).toMatchObject({
    status: 'failed',
    error: `Connection ${sourceId} needs to be authorized again`,
  });
});
