// A folder of thousands of subfolders on the real dev server: with a small spill bound the frontier
// moves to the store and back many times, every run continues as new within its event budget carrying
// only a few hundred bytes, and the copy is byte-identical with nothing left in migration_frontier.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createLocalConnector } from '../../connectors';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { snapshotTree } from '../helpers/tree';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const TASK_QUEUE = `frontier-spill-test-${process.pid}`;
const SUBFOLDERS = 3000;
const TUNING = {
  exploreEntries: 200,
  batchMaxFiles: 100,
  concurrency: 4,
  frontierSpillAt: 50,
  maxRunEvents: 200,
};
/**
 * One page past the budget: its explore, its batches, a spill and a refill, progress and the hand-over;
 * and the copies in flight, whose results a stopping run still takes in while its last explorations end.
 */
const MAX_EVENTS_PER_RUN =
  TUNING.maxRunEvents +
  6 * (2 + TUNING.exploreEntries / TUNING.batchMaxFiles + 4) +
  6 * TUNING.concurrency +
  20;

let tmp: string;
let store: Store;
let client: Client;
let clientConnection: Connection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let account: Account;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-spill-'));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'spill-test', plan: 'pro' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({
    store,
    connectorFactory: (c) => createLocalConnector(String(c.config.root), [tmp]),
    fileConcurrency: 8,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, TASK_QUEUE));
  workerRun = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await clientConnection?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** /wide holds SUBFOLDERS folders; every tenth holds a small file, every hundredth a nested folder too. */
function writeWideTree(root: string): { files: number; folders: number } {
  let files = 0;
  let folders = 1;
  for (let i = 0; i < SUBFOLDERS; i++) {
    const dir = path.join(root, 'wide', `sub ${String(i).padStart(5, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    folders++;
    if (i % 10 === 0) {
      fs.writeFileSync(path.join(dir, 'f.txt'), `file ${i}\n`);
      files++;
    }
    if (i % 100 === 0) {
      fs.mkdirSync(path.join(dir, 'deeper'));
      fs.writeFileSync(path.join(dir, 'deeper', 'g.txt'), `deeper ${i}\n`);
      folders++;
      files++;
    }
  }
  return { files, folders };
}

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

interface RunStats {
  events: number;
  /** Bytes of the next run's input, when this run continued as new. */
  carriedBytes: number | null;
  spills: number;
  refills: number;
  /** Largest single payload (activity input or result) in this run. */
  maxPayloadBytes: number;
}

/** Walks the chain of runs from the first, reading each run's own history. */
async function runsOf(workflowId: string, firstRunId: string): Promise<RunStats[]> {
  const runs: RunStats[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const stats: RunStats = {
      events: events.length,
      carriedBytes: null,
      spills: 0,
      refills: 0,
      maxPayloadBytes: 0,
    };
    const size = (p?: { payloads?: { data?: Uint8Array | null }[] | null } | null) =>
      (p?.payloads ?? []).reduce((n, x) => n + (x.data?.length ?? 0), 0);
    runId = null;
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) {
        if (scheduled.activityType?.name === 'spillFrontier') stats.spills++;
        if (scheduled.activityType?.name === 'loadFrontier') stats.refills++;
        stats.maxPayloadBytes = Math.max(stats.maxPayloadBytes, size(scheduled.input));
      }
      const completed = e.activityTaskCompletedEventAttributes;
      if (completed) stats.maxPayloadBytes = Math.max(stats.maxPayloadBytes, size(completed.result));
      const next = e.workflowExecutionContinuedAsNewEventAttributes;
      if (next) {
        stats.carriedBytes = size(next.input);
        runId = next.newExecutionRunId ?? null;
      }
    }
    runs.push(stats);
  }
  return runs;
}

it('spills a wide frontier to the store and back, keeping every run and payload small', async () => {
  const srcRoot = path.join(tmp, 'src');
  const dstRoot = path.join(tmp, 'dst');
  fs.mkdirSync(dstRoot, { recursive: true });
  const tree = writeWideTree(srcRoot);
  const [src, dst] = await Promise.all(
    [srcRoot, dstRoot].map((root, i) =>
      store.connections.create({ accountId: account.id, service: 'local', name: `c${i}`, config: { root } }),
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
    tuning: TUNING,
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({
    filesDiscovered: tree.files,
    filesCopied: tree.files,
    filesFailed: 0,
    foldersDiscovered: tree.folders,
    listingComplete: true,
  });
  expect(await snapshotTree(dstRoot)).toEqual(await snapshotTree(srcRoot));
  // Every spilled row was loaded back and deleted.
  expect(await store.frontier.load(account.id, migration.id, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);

  const firstRunId = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId;
  const runs = await runsOf(migration.workflowId, firstRunId!);
  const total = (k: 'spills' | 'refills') => runs.reduce((n, r) => n + r[k], 0);
  // Thousands of folders through a bound of 50: every page of /wide spills, every 64 folders explored
  // come back from the store, over many runs.
  expect(runs.length).toBeGreaterThanOrEqual(5);
  expect(total('spills')).toBeGreaterThanOrEqual(SUBFOLDERS / TUNING.exploreEntries);
  expect(total('refills')).toBeGreaterThanOrEqual(SUBFOLDERS / 64);
  for (const run of runs) {
    expect(run.events).toBeLessThanOrEqual(MAX_EVENTS_PER_RUN);
    expect(run.maxPayloadBytes).toBeLessThan(64 * 1024);
  }
  // Each hand-over carries counters, a row count and the refs of batches not yet copied (~60 bytes
  // each), never the folders or files themselves.
  const carried = runs.slice(0, -1).map((r) => r.carriedBytes ?? Infinity);
  expect(Math.max(...carried)).toBeLessThan(4096);
  expect(runs[runs.length - 1].carriedBytes).toBeNull();
}, 120_000);
