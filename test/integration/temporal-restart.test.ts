// Durability of the orchestration itself: the suite runs its OWN Temporal dev server on a persistent db
// file, kills it with SIGKILL in the middle of a migration and starts it again on the same file and
// port. The same worker process reconnects by itself and the migration completes byte-identical.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { randomBase62 } from '../../common/ids';
import { devServerArgs, waitUntilServing, type DevServerPlan } from '../../scripts/lib/temporal-dev-server';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { createStore } from '../../store';
import type { Store } from '../../store/types';
import { freePort } from '../../common/free-port';
import { snapshotTree, walk, writeTree } from '../helpers/tree';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  progressQuery,
  type MigrationWorkflowInput,
} from '../../contract';

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `temporal-restart-${randomBase62(8)}`;
let tmp: string;
let plan: DevServerPlan;
let address: string;
let store: Store;
let databaseUrl: string;
const children: ChildProcess[] = [];

function startTemporal(): ChildProcess {
  const child = spawn(plan.cli, devServerArgs(plan), { stdio: ['ignore', 'ignore', 'ignore'] });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** The real worker process (dist/worker/main.js), as `npm run worker` starts it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: address,
      MIGRATECLOUDS_TASK_QUEUE: TASK_QUEUE,
      MIGRATECLOUDS_LOCAL_ROOTS: tmp,
      MIGRATION_FILE_CONCURRENCY: '2',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-restart-')));
  databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  const [port, uiPort] = [await freePort(), await freePort()];
  plan = {
    cli: temporalCliPath(ROOT),
    host: '127.0.0.1',
    port,
    uiPort,
    namespace: 'default',
    dbFile: path.join(tmp, 'temporal.db'),
    logFile: path.join(tmp, 'temporal.log'),
  };
  address = `127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('completes a migration across a SIGKILL and restart of the Temporal server', async () => {
  const first = startTemporal();
  await waitUntilServing(plan.cli, address, { timeoutMs: 30_000 });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  try {
    const account = await store.accounts.create({ name: 'restart', plan: 'pro' });
    // The worker keeps local connections inside the folders granted to their account.
    await store.localGrants.grant(account.id, fs.realpathSync(tmp));
    const roots = { src: path.join(tmp, 'src'), dst: path.join(tmp, 'dst') };
    fs.mkdirSync(roots.dst, { recursive: true });
    const tree = writeTree(roots.src, { folders: 30, filesPerFolder: 50, depth: 3, maxBytes: 8_000 });
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
      // Small batches, one at a time: the migration is still running when the server dies.
      tuning: { exploreEntries: 200, batchMaxFiles: 20, concurrency: 1 },
    };
    const worker = startWorker();
    const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId: migration.workflowId,
      args: [input],
    });

    let copiedBeforeKill = 0;
    while (copiedBeforeKill < 200) {
      copiedBeforeKill = (await handle.query(progressQuery)).progress.filesCopied;
      await new Promise((r) => setTimeout(r, 100));
    }
    first.kill('SIGKILL');
    await exited(first);
    expect(copiedBeforeKill).toBeLessThan(tree.files / 2);
    // Down for a few seconds while the worker keeps copying and failing to report.
    await new Promise((r) => setTimeout(r, 3000));

    startTemporal();
    await waitUntilServing(plan.cli, address, { timeoutMs: 30_000 });
    const result = await handle.result();

    expect(result.status).toBe('completed');
    expect(result.progress.filesFailed).toBe(0);
    // Files copied while the server was down and reported late (or not at all) are found and skipped.
    expect(result.progress.filesCopied + result.progress.filesSkipped).toBe(tree.files);
    expect(result.progress.filesDiscovered).toBe(tree.files);
    expect(await snapshotTree(roots.dst)).toEqual(await snapshotTree(roots.src));
    expect([...walk(roots.dst)].filter((e) => e.rel.includes('.mc-partial-'))).toEqual([]);
    // One item per file, none twice.
    const paths: string[] = [];
    for (let token: string | null = null; ;) {
      const page = await store.items.list(account.id, migration.id, {}, { pageSize: 1000, pageToken: token });
      paths.push(...page.items.map((i) => i.sourcePath));
      if (!(token = page.nextPageToken)) break;
    }
    expect(paths.length).toBe(tree.files);
    expect(new Set(paths).size).toBe(tree.files);
    expect((await store.migrations.get(account.id, migration.id))?.status).toBe('completed');
    // The worker that started the migration finished it: it reconnected on its own.
    expect(worker.exitCode).toBeNull();
    expect(worker.signalCode).toBeNull();
  } finally {
    await connection.close();
  }
}, 180_000);
