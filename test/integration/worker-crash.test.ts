// Durability: the worker process is killed with SIGKILL in the middle of a migration; a new worker
// picks the work up and the migration completes with a byte-identical destination and no leftovers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { randomBase62 } from '../../common/ids';
import { createStore } from '../../store';
import type { Store } from '../../store/types';
import { connectTestClient } from '../helpers/temporal';
import { snapshotTree, walk, writeTree } from '../helpers/tree';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  progressQuery,
  type MigrationWorkflowInput,
} from '../../contract';

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `crash-test-${randomBase62(8)}`;
let tmp: string;
let databaseUrl: string;
let store: Store;
let client: Client;
let connection: Connection;
const workers: ChildProcess[] = [];

/** The real worker process (dist/worker/main.js), as `npm run worker` starts it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      MIGRATECLOUDS_TASK_QUEUE: TASK_QUEUE,
      MIGRATECLOUDS_LOCAL_ROOTS: tmp,
      MIGRATION_FILE_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-crash-')));
  databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  ({ client, connection } = await connectTestClient({}));
}, 300_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await connection?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('completes after the worker is killed mid-migration', async () => {
  const account = await store.accounts.create({ name: 'crash', plan: 'pro' });
  // The worker keeps local connections inside the folders granted to their account.
  await store.localGrants.grant(account.id, fs.realpathSync(tmp));
  const roots = { src: path.join(tmp, 'src'), dst: path.join(tmp, 'dst') };
  fs.mkdirSync(roots.dst, { recursive: true });
  const tree = writeTree(roots.src, { folders: 40, filesPerFolder: 50, depth: 3, maxBytes: 30_000 });
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
  // Small batches and one copy at a time keep the first worker busy long enough to be killed mid-way.
  input.tuning = { batchMaxFiles: 20, concurrency: 1 };

  const first = startWorker();
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  // Kill it once some files are copied and most are not.
  let copiedBeforeKill = 0;
  while (copiedBeforeKill < 100) {
    copiedBeforeKill = (await handle.query(progressQuery)).progress.filesCopied;
    await new Promise((r) => setTimeout(r, 100));
  }
  first.kill('SIGKILL');
  expect(copiedBeforeKill).toBeLessThan(tree.files / 2);

  startWorker();
  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.progress.filesFailed).toBe(0);
  // Files the killed attempt finished without reporting are found at the destination and skipped.
  expect(result.progress.filesCopied + result.progress.filesSkipped).toBe(tree.files);
  expect(await snapshotTree(roots.dst)).toEqual(await snapshotTree(roots.src));
  expect([...walk(roots.dst)].filter((e) => e.rel.includes('.mc-partial-'))).toEqual([]);
  expect((await store.migrations.get(account.id, migration.id))?.status).toBe('completed');
}, 180_000);
