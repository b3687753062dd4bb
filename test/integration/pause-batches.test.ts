// A pause stops the copies of stored batches between two files (workflows/migration.ts): on the real dev
// server, two batches of 600 small files each are copied on the local copy threads, slowed here so a
// pause lands mid-way. The copies stop (the destination holds fewer files than the two batches and
// stops growing), what they finished is recorded, and on resume the batches are copied again from
// there: every file copied exactly once (none found already written and skipped), byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { closeCopyThreads, createLocalConnector } from '../../connectors';
import type { Connector, LocalDirect } from '../../connectors';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { allItems, localEndpoints, startMigrationWorkflow } from '../helpers/migrations';
import { runTestWorker } from '../helpers/temporal';
import { snapshotTree, walk } from '../helpers/tree';
import { pauseSignal, resumeSignal, type MigrationSnapshot } from '../../contract';

const TASK_QUEUE = `pause-batches-test-${process.pid}`;
const FILES = 1200;
const TUNING = { exploreEntries: 2000, batchMaxFiles: 600, concurrency: 2 };
/** The copy threads get this many files at a time, with a pause between: a batch takes ~3 s. */
const CHUNK = 20;
const CHUNK_DELAY_MS = 100;

let tmp: string;
let store: Store;
let client: Client;
let stopWorker: () => Promise<void>;
let account: Account;

/** The destination's direct copies, handed to the threads a few files at a time (a slow disk). */
function slowDirect(connector: Connector): Connector {
  if (!connector.localDirect) return connector;
  const inner = connector.localDirect.bind(connector);
  return {
    ...connector,
    async localDirect(): Promise<LocalDirect> {
      const direct = await inner();
      return {
        ...direct,
        async copySmallFrom(source, files, options) {
          for (let at = 0; at < files.length; at += CHUNK) {
            if (at > 0) await sleep(CHUNK_DELAY_MS);
            await direct.copySmallFrom(source, files.slice(at, at + CHUNK), {
              ...options,
              onResult: (i, result) => options.onResult(at + i, result),
            });
          }
        },
      };
    },
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-pause-'));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'pause-test', plan: 'pro' });
  const activities = createActivities({
    store,
    connectorFactory: async (c) => slowDirect(await createLocalConnector(String(c.config.root), [tmp])),
    fileConcurrency: 2,
  });
  ({ client, stop: stopWorker } = await runTestWorker(activities, TASK_QUEUE));
});

afterAll(async () => {
  await stopWorker?.();
  await closeCopyThreads();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const filesIn = (root: string) => [...walk(root)].filter((e) => e.type === 'file').length;

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

it('stops copies mid-batch at a pause and copies the rest, each file once, on resume', async () => {
  const srcRoot = path.join(tmp, 'src');
  const dstRoot = path.join(tmp, 'dst');
  fs.mkdirSync(srcRoot, { recursive: true });
  fs.mkdirSync(dstRoot, { recursive: true });
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(srcRoot, `f${i}.txt`), `file ${i}\n`.repeat(50));
  const endpoints = await localEndpoints(store, account.id, [srcRoot, dstRoot]);
  const { migrationId, handle } = await startMigrationWorkflow(client, store, TASK_QUEUE, {
    accountId: account.id,
    ...endpoints,
    tuning: TUNING,
  });

  await until('the first files', () => filesIn(dstRoot) >= 2 * CHUNK);
  await handle.signal(pauseSignal);
  // Both copies stop within a heartbeat or two and send their batches back: nothing runs, nothing grows.
  await until('the copies to stop', async () => {
    const { pendingActivities } = await handle.describe().then((d) => d.raw);
    return (pendingActivities ?? []).length === 0;
  });
  const held = filesIn(dstRoot);
  await sleep(2_000);
  expect(filesIn(dstRoot)).toBe(held);
  expect(held).toBeLessThan(FILES);
  const history = await handle.fetchHistory();
  const cancelled = (history.events ?? []).filter((e) => e.activityTaskCanceledEventAttributes).length;
  expect(cancelled).toBeGreaterThanOrEqual(1);

  await handle.signal(resumeSignal);
  const result = (await handle.result()) as MigrationSnapshot;
  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({ filesCopied: FILES, filesSkipped: 0, filesFailed: 0 });
  const items = await allItems(store, account.id, migrationId);
  expect(items).toHaveLength(FILES);
  expect(items.filter((i) => i.status !== 'copied')).toEqual([]);
  expect(await snapshotTree(dstRoot)).toEqual(await snapshotTree(srcRoot));
  expect([...walk(dstRoot)].filter((e) => e.rel.includes('.mc-partial-'))).toEqual([]);
  expect(await store.batches.load(account.id, migrationId, { exploration: 0, part: 0 })).toBeNull();
}, 120_000);
