// Records the workflow histories the replay test (replay.test.ts) replays against every later version
// of the workflow code: a migration (folders, batches of small files, one large file, a pause and a
// resume), a sync run with its migration, and a webhook delivery that needed retries — each run through
// the real API and real workers on the dev server. Run it when a release is cut and commit the result:
//   npm run record:histories        (writes test/fixtures/histories/<package version>/)
// It is not part of `npm test` (its name does not end in .test.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { generateEncryptionKey } from '../../common/secret-box';
import { migrationWorkflowId, webhookDeliveryWorkflowId } from '../../contract';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { closeTemporal, createTestApi, type TestAccount, type TestApi } from '../api/helpers';
import { startEventWorkers, type EventWorkers } from '../helpers/event-workers';
import { writeLargeFile, writeTree } from '../helpers/tree';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
export const HISTORIES_DIR = path.join(ROOT, 'test/fixtures/histories');
const KEY = generateEncryptionKey();

let api: TestApi;
let alice: TestAccount;
let workers: EventWorkers | undefined;
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  api = await createTestApi({
    env: {
      MIGRATECLOUDS_ENCRYPTION_KEY: KEY,
      MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: 'true',
      MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS: '0.5',
    },
  });
  workers = await startEventWorkers(api, KEY);
  alice = await api.account('pro', 'Recorder');
  // Each delivery's first attempt is refused, so its history holds a retried activity.
  const attempts = new Map<string, number>();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['migrateclouds-delivery']);
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      res.statusCode = attempts.get(id)! > 1 ? 200 : 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await workers?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await api?.close();
  await closeTemporal();
});

const post = (url: string, body: object = {}) => request(api.app).post(url).set(alice.auth).send(body);
const get = (url: string) => request(api.app).get(url).set(alice.auth);

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function connection(name: string, root: string): Promise<string> {
  fs.mkdirSync(root, { recursive: true });
  const res = await post('/v1/connections', { service: 'local', name, config: { root } });
  return res.body.data.id as string;
}

const FINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

async function finished(migrationId: string): Promise<string> {
  return until(`migration ${migrationId}`, async () => {
    const status = (await get(`/v1/migrations/${migrationId}`)).body.data.status as string;
    return FINAL.includes(status) && status;
  });
}

/** The workflow's history as `temporal workflow show --output json` writes it (what operators export). */
async function save(name: string, workflowId: string): Promise<void> {
  const json = execFileSync(
    temporalCliPath(ROOT),
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      '--address',
      process.env.TEMPORAL_TEST_ADDRESS!,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  ).toString('utf8');
  const events = (JSON.parse(json) as { events: unknown[] }).events.length;
  const dir = path.join(HISTORIES_DIR, VERSION);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
  console.log(`${path.relative(ROOT, file)}: ${events} events of ${workflowId}`);
}

it('records a migration, a sync run and a webhook delivery', async () => {
  const hook = await post('/v1/webhooks', {
    url: `${receiverUrl}/hook`,
    events: ['migration.completed', 'sync.run_started'],
  });
  expect(hook.status).toBe(201);

  // A migration: folders, small files in batches, one large file alone; paused and resumed on the way.
  const source = path.join(api.root, 'source');
  writeTree(source, { folders: 16, filesPerFolder: 25, depth: 3 });
  await writeLargeFile(path.join(source, 'large.bin'), 65 * 1024 * 1024);
  const src = await connection('source', source);
  const dst = await connection('destination', path.join(api.root, 'destination'));
  const started = await post('/v1/migrations', {
    source: { connection_id: src, path: '/' },
    destination: { connection_id: dst, path: '/copy' },
  });
  expect(started.status).toBe(202);
  const migrationId = started.body.data.id as string;
  await until(
    'the migration to run',
    async () => (await get(`/v1/migrations/${migrationId}`)).body.data.status === 'running',
  );
  expect((await post(`/v1/migrations/${migrationId}/pause`)).status).toBe(200);
  await until(
    'the migration to hold',
    async () => (await get(`/v1/migrations/${migrationId}`)).body.data.status === 'paused',
  );
  expect((await post(`/v1/migrations/${migrationId}/resume`)).status).toBe(200);
  expect(await finished(migrationId)).toBe('completed');

  // A sync: one run, triggered, with its migration.
  const sync = await post('/v1/syncs', {
    source: { connection_id: src, path: '/' },
    destination: { connection_id: dst, path: '/mirror' },
    schedule: { interval: '1h' },
    paused: true,
  });
  expect(sync.status).toBe(201);
  const syncId = sync.body.data.id as string;
  expect((await post(`/v1/syncs/${syncId}/trigger`)).status).toBe(202);
  const run = await until('the sync run', async () => {
    const runs = (await get(`/v1/syncs/${syncId}/runs`)).body.data.migrations as { id: string }[];
    return runs[0];
  });
  expect(await finished(run.id)).toBe('completed');
  const runWorkflow = await until('the sync run workflow to close', async () => {
    const child = await api.client.workflow.getHandle(migrationWorkflowId(run.id)).describe();
    const parent = child.raw.workflowExecutionInfo?.parentExecution?.workflowId;
    if (!parent) return null;
    const description = await api.client.workflow.getHandle(parent).describe();
    return description.status.name === 'COMPLETED' && parent;
  });

  // The webhook delivery of the migration's completion (refused once, then delivered).
  const delivery = await until('a delivered webhook', async () => {
    const list = (await get(`/v1/webhooks/${hook.body.data.id as string}/deliveries`)).body.data
      .deliveries as {
      id: string;
      event_type: string;
      status: string;
    }[];
    return list.find((d) => d.event_type === 'migration.completed' && d.status === 'delivered');
  });

  await save('migration', migrationWorkflowId(migrationId));
  await save('sync-run', runWorkflow);
  await save('sync-run-migration', migrationWorkflowId(run.id));
  await save('webhook-delivery', webhookDeliveryWorkflowId(delivery.id));
});
