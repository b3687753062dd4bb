// GET /metrics on the real worker process (dist/worker/main.js) after it ran a real migration on the dev
// server: the product's counters equal what the migration copied and skipped, the Temporal SDK's own
// metrics follow (temporal_*, from its exporter), no metric is declared twice, and METRICS_TOKEN guards it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { randomBase62 } from '../../common/ids';
import { createStore } from '../../store';
import type { Store } from '../../store/types';
import { freePort } from '../../common/free-port';
import { dashboardMetricNames } from '../helpers/dashboard';
import { declaredNames, parseSamples, sampleValue } from '../helpers/prometheus';
import { connectTestClient } from '../helpers/temporal';
import { writeTree } from '../helpers/tree';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `metrics-test-${randomBase62(8)}`;
const TOKEN = `token-${randomBase62(20)}`;
let tmp: string;
let store: Store;
let client: Client;
let connection: Connection;
let worker: ChildProcess | undefined;
let healthPort: number;

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-metrics-')));
  const databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  ({ client, connection } = await connectTestClient({}));
  healthPort = await freePort();
  worker = spawn(process.execPath, [path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      MIGRATECLOUDS_TASK_QUEUE: TASK_QUEUE,
      MIGRATECLOUDS_LOCAL_ROOTS: tmp,
      WORKER_HEALTH_PORT: String(healthPort),
      METRICS_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}, 300_000);

afterAll(async () => {
  worker?.kill('SIGKILL');
  await connection?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const scrape = (auth?: string) =>
  fetch(`http://127.0.0.1:${healthPort}/metrics`, { headers: auth ? { Authorization: auth } : {} });

it('counts what a real migration copied and skipped, beside the SDK metrics', async () => {
  const account = await store.accounts.create({ name: 'metrics', plan: 'pro' });
  await store.localGrants.grant(account.id, tmp);
  const roots = { src: path.join(tmp, 'src'), dst: path.join(tmp, 'dst') };
  const tree = writeTree(roots.src, {
    folders: 4,
    filesPerFolder: 10,
    depth: 2,
    minBytes: 1,
    maxBytes: 20_000,
  });
  // Three files already at the destination: skipped (conflict "skip"), counted with their source size.
  const present = fs
    .readdirSync(roots.src, { recursive: true, encoding: 'utf8' })
    .filter((rel) => fs.statSync(path.join(roots.src, rel)).isFile())
    .slice(0, 3);
  let skippedBytes = 0;
  for (const rel of present) {
    fs.mkdirSync(path.dirname(path.join(roots.dst, rel)), { recursive: true });
    fs.copyFileSync(path.join(roots.src, rel), path.join(roots.dst, rel));
    skippedBytes += fs.statSync(path.join(roots.src, rel)).size;
  }
  const [src, dst] = await Promise.all(
    Object.entries(roots).map(([name, root]) =>
      store.connections.create({ accountId: account.id, service: 'local', name, config: { root } }),
    ),
  );
  const source = { connectionId: src.id, service: 'local' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'local' as const, path: '/' };
  const options = completeOptions({ conflict: 'skip' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
  };
  const result = await client.workflow.execute(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({ filesCopied: tree.files - 3, filesSkipped: 3, filesFailed: 0 });

  expect((await scrape()).status).toBe(401);
  expect((await scrape('Bearer not-the-token-at-all')).status).toBe(401);
  const res = await scrape(`Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();

  const local = { source_service: 'local', destination_service: 'local' };
  const files = (outcome: string) => sampleValue(text, 'migrateclouds_files_total', { ...local, outcome });
  const bytes = (outcome: string) => sampleValue(text, 'migrateclouds_bytes_total', { ...local, outcome });
  expect([files('copied'), files('skipped'), files('failed')]).toEqual([tree.files - 3, 3, 0]);
  expect(files('copied')).toBe(result.progress.filesCopied);
  expect(bytes('copied')).toBe(tree.bytes - skippedBytes);
  expect(bytes('copied')).toBe(result.progress.bytesCopied);
  expect(bytes('skipped')).toBe(skippedBytes);

  // The SDK's metrics, after the product's: the migration's activities ran on this worker.
  const samples = parseSamples(text);
  const sdk = (name: string) => samples.filter((s) => s.name === name);
  const activities = sdk('temporal_activity_execution_latency_seconds_count');
  const copies = activities.find(
    (s) => s.labels.activity_type === 'copyFiles' && s.labels.task_queue === TASK_QUEUE,
  );
  expect(copies?.value).toBeGreaterThanOrEqual(1);
  expect(sdk('temporal_worker_task_slots_available').length).toBeGreaterThan(0);
  expect(text).not.toMatch(/unavailable/);
  // Process metrics, and no family declared twice by the two sources.
  expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  const names = declaredNames(text);
  expect(names.filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(5);
  expect(names.length).toBe(new Set(names).size);
  // Every SDK metric the Grafana dashboard charts is one this worker exposes.
  const exposed = new Set(samples.map((s) => s.name));
  for (const name of dashboardMetricNames().filter((n) => n.startsWith('temporal_')))
    expect([name, exposed.has(name)]).toEqual([name, true]);
  // Aggregate only: no id, path or file name reaches a label.
  for (const leak of [account.id, migration.id, src.id, tmp, present[0]!]) expect(text).not.toContain(leak);
  // The probes stay public.
  expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
}, 180_000);
