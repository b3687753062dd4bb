// A copy batch reports a file (to the store's per-file items, heartbeats and its result) only once the
// destination has made it durable: with LOCAL_FSYNC=batch the local connector syncs folders at
// flush(), and the batch flushes before each group of reports. Real Temporal, real worker, real store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createLocalConnector, type Connector } from '../../connectors';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { snapshotTree, writeTree } from '../helpers/tree';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const TASK_QUEUE = `durable-reports-test-${process.pid}`;

let tmp: string;
let store: Store;
let client: Client;
let clientConnection: Connection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let account: Account;

// What the destination connector saw: files written, files a completed flush() covered.
const written = new Set<string>();
const durable = new Set<string>();
let flushes = 0;
/** Files recorded as copied in the store before a flush covered them. */
const reportedEarly: string[] = [];

function watchedDestination(inner: Connector): Connector {
  return {
    ...inner,
    async write(p, data, options) {
      const entry = await inner.write(p, data, options);
      written.add(p);
      return entry;
    },
    // Small files from a local source are copied on the connector's threads, without `write`.
    async localDirect() {
      const direct = await inner.localDirect!();
      return {
        ...direct,
        copySmallFrom: (source, files, options) =>
          direct.copySmallFrom(source, files, {
            ...options,
            onResult(i, result) {
              if ('copied' in result) written.add(files[i].destination);
              options.onResult(i, result);
            },
          }),
      };
    },
    async flush() {
      const covered = [...written];
      await inner.flush?.();
      flushes++;
      covered.forEach((p) => durable.add(p));
    },
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-durable-'));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'durable-test', plan: 'pro' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const items = store.items;
  const watchedStore: Store = {
    ...store,
    items: {
      ...items,
      async record(accountId, migrationId, outcomes, opts) {
        for (const o of outcomes)
          if (o.status === 'copied' && !durable.has(o.destinationPath ?? ''))
            reportedEarly.push(o.sourcePath);
        return items.record(accountId, migrationId, outcomes, opts);
      },
    },
  };
  const activities = createActivities({
    store: watchedStore,
    connectorFactory: (c) => {
      const connector = createLocalConnector(String(c.config.root), [tmp], { fsync: 'batch' });
      return c.name === 'dst' ? watchedDestination(connector) : connector;
    },
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

it('records copied files only after the destination flushed them, one flush per group', async () => {
  const roots = { src: path.join(tmp, 'src'), dst: path.join(tmp, 'dst') };
  Object.values(roots).forEach((r) => fs.mkdirSync(r));
  const tree = writeTree(roots.src, { folders: 3, filesPerFolder: 20, depth: 1, maxBytes: 2_000 });
  const [src, dst] = await Promise.all(
    (['src', 'dst'] as const).map((name) =>
      store.connections.create({
        accountId: account.id,
        service: 'local',
        name,
        config: { root: roots[name] },
      }),
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
    tuning: { exploreEntries: 1000, batchMaxFiles: 20, concurrency: 2 },
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(result.progress.filesCopied).toBe(tree.files);
  expect(await snapshotTree(roots.dst)).toEqual(await snapshotTree(roots.src));
  const items = await store.items.list(account.id, migration.id, { status: 'copied' }, { pageSize: 1000 });
  expect(items.items).toHaveLength(tree.files);
  expect(reportedEarly).toEqual([]);
  expect(written.size).toBe(tree.files);
  // Every file written was covered by a flush before its batch reported it.
  expect([...written].filter((p) => !durable.has(p))).toEqual([]);
  // Grouped: a flush per checkpoint (about one per batch of 20 here), far fewer than files.
  expect(flushes).toBeGreaterThanOrEqual(3);
  expect(flushes).toBeLessThan(tree.files / 4);
});
