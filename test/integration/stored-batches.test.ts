// File lists pass through the store (store/batches.ts): on the real dev server, a migration whose runs
// continue as new every few dozen events never waits for its copies to finish first. The batches in
// flight are carried as refs and scheduled again by the next run, whose copies wait for the old run's
// claim; every file is still copied exactly once (no file is found already written and skipped), no
// history payload carries a file list, and the store keeps no batch afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../activities';
import { createLocalConnector } from '../../connectors';
import type { Connector } from '../../connectors/types';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { allItems, localEndpoints, startMigrationWorkflow } from '../helpers/migrations';
import { runTestWorker } from '../helpers/temporal';
import { snapshotTree } from '../helpers/tree';

const TASK_QUEUE = `stored-batches-test-${process.pid}`;
const FOLDERS = 12;
const FILES_PER_FOLDER = 50;
/** One exploration at a time of about 100 entries, five batches each: a run ends every two or so. */
const TUNING = {
  exploreEntries: 100,
  batchMaxFiles: 20,
  concurrency: 3,
  listingConcurrency: 1,
  maxRunEvents: 60,
};
/** Each source read waits this long, so copies are always in flight when a run ends. */
const READ_DELAY_MS = 30;

let tmp: string;
let store: Store;
let client: Client;
let stopWorker: () => Promise<void>;
let account: Account;

/** A local connector whose reads start late (a slow disk): every file goes through `openRead`. */
function slowReads(connector: Connector): Connector {
  return {
    ...connector,
    localDirect: undefined,
    openRead: async (...args: Parameters<Connector['openRead']>) => {
      await sleep(READ_DELAY_MS);
      return connector.openRead(...args);
    },
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-batches-'));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'batches-test', plan: 'pro' });
  const activities = createActivities({
    store,
    connectorFactory: async (c) => slowReads(await createLocalConnector(String(c.config.root), [tmp])),
    fileConcurrency: 2,
  });
  ({ client, stop: stopWorker } = await runTestWorker(activities, TASK_QUEUE));
});

afterAll(async () => {
  await stopWorker?.();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
const bytes = (p?: { payloads?: { data?: Uint8Array | null }[] | null } | null) =>
  (p?.payloads ?? []).reduce((n, x) => n + (x.data?.length ?? 0), 0);

interface RunStats {
  /** Copies scheduled in this run and not finished when it continued as new. */
  copiesOpenAtEnd: number;
  continued: boolean;
  largestCopyInput: number;
  largestExploreResult: number;
}

async function runsOf(workflowId: string, firstRunId: string): Promise<RunStats[]> {
  const runs: RunStats[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const types = new Map<string, string>();
    const open = new Set<string>();
    const stats: RunStats = {
      copiesOpenAtEnd: 0,
      continued: false,
      largestCopyInput: 0,
      largestExploreResult: 0,
    };
    runId = null;
    for (const e of history.events ?? []) {
      const id = String(e.eventId);
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const type = scheduled.activityType?.name ?? '';
        types.set(id, type);
        if (type === 'copyFiles') {
          open.add(id);
          stats.largestCopyInput = Math.max(stats.largestCopyInput, bytes(scheduled.input));
        }
      }
      const done =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      if (done) open.delete(String(done.scheduledEventId));
      const completed = e.activityTaskCompletedEventAttributes;
      if (completed && types.get(String(completed.scheduledEventId)) === 'exploreSource')
        stats.largestExploreResult = Math.max(stats.largestExploreResult, bytes(completed.result));
      const next = e.workflowExecutionContinuedAsNewEventAttributes;
      if (next) {
        stats.continued = true;
        runId = next.newExecutionRunId ?? null;
      }
    }
    stats.copiesOpenAtEnd = stats.continued ? open.size : 0;
    runs.push(stats);
  }
  return runs;
}

it('continues as new without draining copies, and copies every file exactly once', async () => {
  const srcRoot = path.join(tmp, 'src');
  const dstRoot = path.join(tmp, 'dst');
  fs.mkdirSync(dstRoot, { recursive: true });
  for (let f = 0; f < FOLDERS; f++) {
    const dir = path.join(srcRoot, `folder ${f}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < FILES_PER_FOLDER; i++)
      fs.writeFileSync(path.join(dir, `file ${i}.txt`), `${f}/${i}\n`);
  }
  const files = FOLDERS * FILES_PER_FOLDER;
  const endpoints = await localEndpoints(store, account.id, [srcRoot, dstRoot]);
  const { migrationId, handle } = await startMigrationWorkflow(client, store, TASK_QUEUE, {
    accountId: account.id,
    ...endpoints,
    options: { conflict: 'skip' },
    tuning: TUNING,
  });
  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({
    filesDiscovered: files,
    filesCopied: files,
    filesSkipped: 0,
    filesFailed: 0,
  });
  expect(await snapshotTree(dstRoot)).toEqual(await snapshotTree(srcRoot));
  // One item per file, each copied once: a copy that raced another would find the name taken (skipped).
  const items = await allItems(store, account.id, migrationId);
  expect(items).toHaveLength(files);
  expect(items.filter((i) => i.status === 'copied')).toHaveLength(files);
  // Nothing left in the store.
  expect(await store.batches.load(account.id, migrationId, { exploration: 0, part: 0 })).toBeNull();

  const runs = await runsOf(
    handle.workflowId,
    (await handle.describe()).raw.workflowExecutionInfo!.firstRunId!,
  );
  expect(runs.length).toBeGreaterThanOrEqual(3);
  // Runs ended with copies still running: carried, not drained.
  expect(runs.filter((r) => r.copiesOpenAtEnd > 0).length).toBeGreaterThanOrEqual(1);
  // A copy's input and an exploration's result hold refs, not the 20 or 100 files' tasks (~250 bytes each).
  for (const run of runs) {
    expect(run.largestCopyInput).toBeLessThan(2048);
    expect(run.largestExploreResult).toBeLessThan(2048);
  }
}, 120_000);
