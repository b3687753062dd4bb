// The migration workflow end to end on the real Temporal dev server, a real worker, a real store
// and the local connector on real folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createLocalConnector } from '../../connectors';
import { createStore } from '../../store';
import type { Account, Connection as StoredConnection, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { snapshotTree, writeLargeFile, writeTree, walk } from '../helpers/tree';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  MigrationOptions,
  type MigrationWorkflowInput,
} from '../../contract';

const TASK_QUEUE = `migration-workflow-test-${process.pid}`;

let tmp: string;
let store: Store;
let client: Client;
let clientConnection: Connection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let account: Account;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-wf-'));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'wf-test', plan: 'pro' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({
    store,
    connectorFactory: (c) => createLocalConnector(String(c.config.root), [tmp]),
    fileConcurrency: 4,
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

async function localConnection(name: string): Promise<StoredConnection> {
  const root = path.join(tmp, name);
  fs.mkdirSync(root, { recursive: true });
  return store.connections.create({ accountId: account.id, service: 'local', name, config: { root } });
}

async function start(
  src: StoredConnection,
  dst: StoredConnection,
  given: Partial<MigrationOptions>,
  paths = { from: '/', to: '/' },
  tuning?: MigrationWorkflowInput['tuning'],
) {
  const options = completeOptions(given);
  const source = { connectionId: src.id, service: 'local' as const, path: paths.from };
  const destination = { connectionId: dst.id, service: 'local' as const, path: paths.to };
  const migration = await store.migrations.create({
    accountId: account.id,
    source,
    destination,
    options,
  });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
    tuning,
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  return { migration, handle };
}

describe('migration workflow', () => {
  it('copies a nested tree with a large file byte for byte, continuing as new on the way', async () => {
    const src = await localConnection('src1');
    const dst = await localConnection('dst1');
    const tree = writeTree(src.config.root as string, {
      folders: 40,
      filesPerFolder: 8,
      depth: 3,
      maxBytes: 20_000,
    });
    await writeLargeFile(path.join(src.config.root as string, 'big file.bin'), 70 * 1024 * 1024);

    // Small pages and batches and a small event budget: the run must continue as new on the way
    // (however many pages its explorations take in at once).
    const tuning = { exploreEntries: 40, batchMaxFiles: 4, maxRunEvents: 150 };
    const { migration, handle } = await start(src, dst, { conflict: 'skip' }, undefined, tuning);
    const result = await handle.result();

    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({
      filesDiscovered: tree.files + 1,
      filesCopied: tree.files + 1,
      bytesCopied: tree.bytes + 70 * 1024 * 1024,
      filesFailed: 0,
      filesSkipped: 0,
      foldersDiscovered: tree.folders,
      listingComplete: true,
    });
    expect(await snapshotTree(dst.config.root as string)).toEqual(
      await snapshotTree(src.config.root as string),
    );
    const stored = await store.migrations.get(account.id, migration.id);
    expect(stored?.status).toBe('completed');
    expect(stored?.progress.filesCopied).toBe(tree.files + 1);
    expect(stored?.finishedAt).not.toBeNull();
    // This tree needs more than one run of 150 events.
    const description = await handle.describe();
    expect(description.raw.workflowExecutionInfo?.firstRunId).not.toEqual(description.runId);

    // A second migration into the same destination skips everything under `skip`.
    const again = await start(src, dst, { conflict: 'skip' });
    const second = await again.handle.result();
    expect(second.status).toBe('completed');
    expect(second.progress.filesSkipped).toBe(tree.files + 1);
    expect(second.progress.filesCopied).toBe(0);
  });

  it('copies a single file into the destination folder and overwrites on request', async () => {
    const src = await localConnection('src2');
    const dst = await localConnection('dst2');
    fs.writeFileSync(path.join(src.config.root as string, 'one.txt'), 'new contents');
    fs.mkdirSync(path.join(dst.config.root as string, 'inbox'));
    fs.writeFileSync(path.join(dst.config.root as string, 'inbox/one.txt'), 'old');

    const { handle } = await start(src, dst, { conflict: 'overwrite' }, { from: '/one.txt', to: '/inbox' });
    const result = await handle.result();
    expect(result.progress).toMatchObject({ filesCopied: 1, bytesCopied: 12 });
    expect(fs.readFileSync(path.join(dst.config.root as string, 'inbox/one.txt'), 'utf8')).toBe(
      'new contents',
    );
  });

  it('fails with a clear reason when the source does not exist, and records it', async () => {
    const src = await localConnection('src3');
    const dst = await localConnection('dst3');
    const { migration, handle } = await start(src, dst, { conflict: 'skip' }, { from: '/missing', to: '/' });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const stored = await store.migrations.get(account.id, migration.id);
    expect(stored?.status).toBe('failed');
    expect(stored?.error).toMatch(/not (exist|found)/i);
  });

  it('cancels promptly and leaves no partial files behind', async () => {
    const src = await localConnection('src4');
    const dst = await localConnection('dst4');
    const tree = writeTree(src.config.root as string, {
      folders: 60,
      filesPerFolder: 100,
      depth: 2,
      maxBytes: 2_000,
    });
    const { migration, handle } = await start(src, dst, { conflict: 'skip' });
    // Cancelled once copies are under way (a fixed delay raced copies grown faster than the test).
    const copied = () => [...walk(dst.config.root as string)].filter((e) => e.type === 'file').length;
    while (copied() < 100) await new Promise((r) => setTimeout(r, 10));
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const stored = await store.migrations.get(account.id, migration.id);
    expect(stored?.status).toBe('cancelled');
    const partials = [...walk(dst.config.root as string)].filter((e) => e.rel.includes('.mc-partial-'));
    expect(partials).toEqual([]);
    expect(copied()).toBeLessThan(tree.files);
  });
  it('lists several parts of the tree at once, never more than the limit', async () => {
    const src = await localConnection('wide-src');
    const dst = await localConnection('wide-dst');
    const root = src.config.root as string;
    for (let f = 0; f < 40; f++) {
      fs.mkdirSync(path.join(root, `folder ${f}`, 'inner'), { recursive: true });
      for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(root, `folder ${f}`, `${i}.txt`), `${f}/${i}`);
    }
    // 100 entries per exploration: the first hands most folders back, and four share them out.
    const tuning = { exploreEntries: 100, batchMaxFiles: 50, listingConcurrency: 4 };
    const { handle } = await start(src, dst, {}, undefined, tuning);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ filesCopied: 400, foldersDiscovered: 80, listingComplete: true });
    expect(await snapshotTree(dst.config.root as string)).toEqual(await snapshotTree(root));

    // Explorations in flight at once, from the history: scheduled minus ended, at its highest.
    const explores = new Set<string>();
    let inFlight = 0;
    let most = 0;
    for (const e of (await handle.fetchHistory()).events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'exploreSource') {
        explores.add(String(e.eventId));
        most = Math.max(most, ++inFlight);
      }
      const ended =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes;
      if (ended && explores.has(String(ended.scheduledEventId))) inFlight--;
    }
    expect(inFlight).toBe(0);
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(4);
  });
});
