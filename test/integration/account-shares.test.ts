// Two accounts' migrations on one real worker with each account's share of it (worker/fair-share.ts,
// WORKER_ACCOUNT_SLOTS = 2): alone, account A runs its four copy activities at once; while account B's
// migration is active too, each starts a copy only while it runs none of its own (a share of one each),
// and both migrations complete with every file. The account comes from the workflow's header
// (workflows/log-ids.ts), as on a deployed worker. Each copy activity holds on a little before it
// copies, so that the concurrency is visible.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { closeCopyThreads, openConnector } from '../../connectors';
import { loadConfig } from '../../config';
import { randomBase62 } from '../../common/ids';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import type { CopyRequest, MigrationActivities, MigrationSnapshot } from '../../contract';
import { FairShare } from '../../worker/fair-share';
import { localEndpoints, startMigrationWorkflow } from '../helpers/migrations';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { snapshotTree, writeTree } from '../helpers/tree';

const TASK_QUEUE = `account-shares-${randomBase62(8)}`;
const HOLD_MS = 150;

let tmp: string;
let store: Store;
let accounts: Record<'A' | 'B', Account>;
let client: Client;
let clientConnection: Connection;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
/** Each copy activity: its account, when it started copying and when it ended. */
const copies: { account: string; start: number; end?: number }[] = [];

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-shares-')));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  accounts = {
    A: await store.accounts.create({ name: 'shares-a', plan: 'pro' }),
    B: await store.accounts.create({ name: 'shares-b', plan: 'pro' }),
  };
  const config = loadConfig({ MIGRATECLOUDS_LOCAL_ROOTS: tmp, LOCAL_COPY_THREADS: '2' });
  const activities: MigrationActivities = createActivities({
    store,
    connectorFactory: (c) => openConnector(c, { config }),
    fileConcurrency: 4,
  });
  const copyFiles = async (request: CopyRequest) => {
    const copy: (typeof copies)[number] = { account: request.source.accountId, start: Date.now() };
    copies.push(copy);
    try {
      await sleep(HOLD_MS);
      return await activities.copyFiles(request);
    } finally {
      copy.end = Date.now();
    }
  };
  ({ client, connection: clientConnection } = await connectTestClient());
  const share = new FairShare({ slots: 2 });
  ({ worker, connection } = await createTestWorker(
    { ...activities, copyFiles },
    TASK_QUEUE,
    undefined,
    share,
  ));
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await clientConnection?.close();
  await closeCopyThreads();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(name: 'A' | 'B', files: { folders: number; filesPerFolder: number }) {
  const src = path.join(tmp, `${name}-src`);
  const dst = path.join(tmp, `${name}-dst`);
  const tree = writeTree(src, { ...files, depth: 1, maxBytes: 2_000 });
  fs.mkdirSync(dst);
  const { handle } = await startMigrationWorkflow(client, store, TASK_QUEUE, {
    accountId: accounts[name].id,
    ...(await localEndpoints(store, accounts[name].id, [src, dst])),
    tuning: { exploreEntries: 1000, batchMaxFiles: 10, concurrency: 4 },
  });
  return { src, dst, handle, files: tree.files };
}

/** How many of `account`'s copies were under way at `t`. */
const runningAt = (account: string, t: number) =>
  copies.filter((c) => c.account === account && c.start <= t && (c.end === undefined || c.end > t)).length;

it("holds a long migration's copies to its share while another account's runs, and completes both", async () => {
  const a = await start('A', { folders: 40, filesPerFolder: 10 });
  // A alone: its four copy activities run at once.
  for (let i = 0; i < 100 && !copies.some((c) => runningAt(accounts.A.id, c.start) === 4); i++)
    await sleep(50);
  expect(Math.max(...copies.map((c) => runningAt(accounts.A.id, c.start)))).toBe(4);

  const b = await start('B', { folders: 4, filesPerFolder: 10 });
  const bResult = (await b.handle.result()) as MigrationSnapshot;
  const aResult = (await a.handle.result()) as MigrationSnapshot;

  const bCopies = copies.filter((c) => c.account === accounts.B.id);
  const bFirst = Math.min(...bCopies.map((c) => c.start));
  const bLast = Math.max(...bCopies.map((c) => c.end!));
  // While both copied, each account's copies started only when none of its own ran.
  for (const account of [accounts.A.id, accounts.B.id]) {
    const startsBeside = copies.filter((c) => c.account === account && c.start > bFirst && c.start < bLast);
    expect(startsBeside.map((c) => runningAt(account, c.start))).toEqual(startsBeside.map(() => 1));
  }
  expect(bCopies.length).toBeGreaterThanOrEqual(4);
  expect(
    copies.filter((c) => c.account === accounts.A.id && c.start > bFirst && c.start < bLast).length,
  ).toBeGreaterThan(0);

  expect(bResult.status).toBe('completed');
  expect(bResult.progress).toMatchObject({ filesCopied: b.files, filesFailed: 0 });
  expect(aResult.status).toBe('completed');
  expect(aResult.progress).toMatchObject({ filesCopied: a.files, filesFailed: 0 });
  expect(await snapshotTree(a.dst)).toEqual(await snapshotTree(a.src));
  expect(await snapshotTree(b.dst)).toEqual(await snapshotTree(b.src));
}, 120_000);
