// A local → local migration through the real workflow and worker copies its small files on the copy
// threads (connectors/local/direct.ts): the same bytes and modification times as the source, every
// item recorded, nothing streamed through `write` but the file of 1 MiB, no partial file left. The
// connectors are opened as the worker opens them (openConnector, LOCAL_COPY_THREADS); a connection
// whose calls are paced (LOCAL_REQUESTS_PER_SECOND) streams every file instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { closeCopyThreads, openConnector, type Connector } from '../../connectors';
import { createRequestBudgets } from '../../connectors/budget';
import { PARTIAL_PREFIX } from '../../connectors/local';
import { loadConfig } from '../../config';
import { randomBase62 } from '../../common/ids';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { allItems, localEndpoints, startMigrationWorkflow } from '../helpers/migrations';
import { runTestWorker } from '../helpers/temporal';
import { snapshotTree, walk, writeTree } from '../helpers/tree';
import type { MigrationSnapshot } from '../../contract';

const TASK_QUEUE = `local-direct-${randomBase62(8)}`;

let tmp: string;
let store: Store;
let account: Account;
let client: Client;
let stopWorker: () => Promise<void>;
/** `write` calls into each destination root. */
const writes = new Map<string, number>();

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-direct-run-')));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'direct-run', plan: 'pro' });
  const budgets = createRequestBudgets({});
  const config = (paced: boolean) =>
    loadConfig({
      MIGRATECLOUDS_LOCAL_ROOTS: tmp,
      LOCAL_COPY_THREADS: '2',
      LOCAL_REQUESTS_PER_SECOND: paced ? '100000' : '0',
    });
  const activities = createActivities({
    store,
    connectorFactory: async (c) => {
      const root = String(c.config.root);
      const inner = await openConnector(c, { config: config(root.endsWith('paced')), budgets });
      const write: Connector['write'] = (p, d, o) => {
        writes.set(root, (writes.get(root) ?? 0) + 1);
        return inner.write(p, d, o);
      };
      return { ...inner, write };
    },
    fileConcurrency: 4,
  });
  ({ client, stop: stopWorker } = await runTestWorker(activities, TASK_QUEUE));
});

afterAll(async () => {
  await stopWorker?.();
  await closeCopyThreads();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Migrates `src` into a new folder `dst` (both under tmp); answers the result and the items. */
async function migrate(src: string, dst: string) {
  fs.mkdirSync(dst);
  const { migrationId, handle } = await startMigrationWorkflow(client, store, TASK_QUEUE, {
    accountId: account.id,
    ...(await localEndpoints(store, account.id, [src, dst])),
    options: { conflict: 'skip', verify: 'checksum' },
    tuning: { exploreEntries: 1000, batchMaxFiles: 50, concurrency: 2 },
  });
  const result = (await handle.result()) as MigrationSnapshot;
  return { result, items: await allItems(store, account.id, migrationId) };
}

const mtimes = (root: string) =>
  Object.fromEntries(
    [...walk(root)]
      .filter((e) => e.type === 'file')
      .map((e) => [e.rel, fs.statSync(path.join(root, e.rel)).mtimeMs]),
  );

it('copies small files on the threads with their bytes and modification times', async () => {
  const src = path.join(tmp, 'src');
  const tree = writeTree(src, { folders: 6, filesPerFolder: 25, depth: 2, maxBytes: 8_000 });
  fs.writeFileSync(path.join(src, 'one-mebibyte.bin'), Buffer.alloc(1024 * 1024, 7));
  let t = Date.parse('2020-01-02T03:04:05.678Z');
  for (const e of walk(src))
    if (e.type === 'file') fs.utimesSync(path.join(src, e.rel), 0, (t += 1_001) / 1000);

  const dst = path.join(tmp, 'dst');
  const { result, items } = await migrate(src, dst);

  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({ filesCopied: tree.files + 1, filesFailed: 0, filesSkipped: 0 });
  expect(items.filter((i) => i.status !== 'copied')).toEqual([]);
  expect(items).toHaveLength(tree.files + 1);
  expect(await snapshotTree(dst)).toEqual(await snapshotTree(src));
  expect(mtimes(dst)).toEqual(mtimes(src));
  // Only the file of 1 MiB went through `write`.
  expect(writes.get(dst)).toBe(1);
  expect([...walk(dst)].filter((e) => path.basename(e.rel).startsWith(PARTIAL_PREFIX))).toEqual([]);
});

it('streams every file of a paced connection', async () => {
  const src = path.join(tmp, 'src-2');
  const tree = writeTree(src, { folders: 2, filesPerFolder: 10, depth: 1, maxBytes: 3_000 });
  const dst = path.join(tmp, 'dst-paced');
  const { result } = await migrate(src, dst);
  expect(result.progress).toMatchObject({ filesCopied: tree.files, filesFailed: 0 });
  expect(await snapshotTree(dst)).toEqual(await snapshotTree(src));
  expect(writes.get(dst)).toBe(tree.files);
});
