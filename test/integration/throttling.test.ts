// Throttling that uses the quota without breaking it: a Drive → Dropbox migration on the real dev
// server, two workers, both emulators limited to R requests/s. With each connection's budget at R
// (shared by the workers through Redis when REDIS_URL is set) no file fails and the emulators hardly
// ever throttle; the same migration without budgets is throttled heavily. Counters, not wall clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { createMemoryBudgets, createRedisBudgets, type RequestBudgets } from '../../connectors/budget';
import { loadConfig, type Config } from '../../config';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

jest.setTimeout(120_000);

// Low enough that a run without budgets outpaces it even on a loaded 2-core CI machine (at 60/s one such
// run sent too slowly to be throttled 50 times).
const R = 30;
const FILES = 240;
const TASK_QUEUE = `throttling-${randomBase62(8)}`;
const redisUrl = process.env.REDIS_URL;
const keyPrefix = `mc:test:throttling:${randomBase62(8)}`;

let tmp: string;
let drive: GoogleDriveEmulator;
let dropbox: DropboxEmulator;
let config: Config;
let box: SecretBox;
let store: Store;
let account: Account;
let client: Client;
let clientConnection: Connection;
/** Each worker's own budgets object (sharing Redis, or one memory budget in this process). */
let budgets: RequestBudgets[] = [];
let budgeted = true;
const workers: { worker: Worker; connection: NativeConnection; run: Promise<void> }[] = [];

interface EmulatorCounters {
  total: number;
  throttled: number;
}

const control = async (url: string, method: string, body?: object) => {
  const res = await fetch(`${url}/_emulator/${body ? 'faults' : 'counters'}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.ok).toBe(true);
  return res.status === 204 ? null : ((await res.json()) as EmulatorCounters);
};
const limitBoth = async (rateLimitPerSecond: number) => {
  for (const url of [drive.url, dropbox.url]) {
    await control(url, 'PUT', { rateLimitPerSecond, retryAfterSeconds: 1 });
    await control(url, 'DELETE');
  }
};
const countersOf = async () => ({
  drive: (await control(drive.url, 'GET'))!,
  dropbox: (await control(dropbox.url, 'GET'))!,
});

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-throttling-'));
  [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
  const key = generateEncryptionKey();
  config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: key,
    GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
    GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
    GOOGLE_DRIVE_API_URL: drive.url,
    GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
    DROPBOX_CLIENT_ID: dropbox.defaultClient.clientId,
    DROPBOX_CLIENT_SECRET: dropbox.defaultClient.clientSecret,
    DROPBOX_API_URL: dropbox.url,
    DROPBOX_CONTENT_URL: dropbox.url,
    DROPBOX_TOKEN_URL: `${dropbox.url}/oauth2/token`,
    GOOGLE_DRIVE_REQUESTS_PER_SECOND: String(R),
    DROPBOX_REQUESTS_PER_SECOND: String(R),
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'throttling', plan: 'enterprise' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const memory = createMemoryBudgets();
  budgets = [0, 1].map(() => (redisUrl ? createRedisBudgets({ redisUrl, keyPrefix }) : memory));
  for (const mine of budgets) {
    const activities = createActivities({
      store,
      connectorFactory: (c) =>
        openConnector(c, {
          credentials: store.connections,
          config,
          box,
          budgets: budgeted ? mine : undefined,
        }),
      fileConcurrency: 8,
    });
    const { worker, connection } = await createTestWorker(activities, TASK_QUEUE);
    workers.push({ worker, connection, run: worker.run() });
  }
});

afterAll(async () => {
  for (const w of workers) w.worker.shutdown();
  await Promise.all(workers.map((w) => w.run));
  await Promise.all(workers.map((w) => w.connection.close()));
  await Promise.all(budgets.map((b) => b.close()));
  await clientConnection?.close();
  await store?.close();
  await Promise.all([drive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cloudConnection(service: 'google_drive' | 'dropbox', emulatorUrl: string) {
  const grant = (await (await fetch(`${emulatorUrl}/_emulator/tokens/grant`, { method: 'POST' })).json()) as {
    access_token: string;
    refresh_token: string;
  };
  const id = newId('conn');
  const tokens = { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null };
  return store.connections.create({
    id,
    accountId: account.id,
    service,
    name: service,
    config: {},
    secrets: box.seal(JSON.stringify(tokens), id),
  });
}

/** Starts Drive "/" → Dropbox `folder` on fresh connections (so each run has fresh budgets). */
async function startMigration(folder: string) {
  const src = await cloudConnection('google_drive', drive.url);
  const dst = await cloudConnection('dropbox', dropbox.url);
  const source = { connectionId: src.id, service: 'google_drive' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'dropbox' as const, path: folder };
  const options = completeOptions({ conflict: 'skip' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
  };
  return client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
}

const share = (c: EmulatorCounters) => c.throttled / c.total;
let withBudget: { drive: EmulatorCounters; dropbox: EmulatorCounters };

it('copies every file within the quota when the budget is at the providers’ rate', async () => {
  drive.seed({ seed: 23, files: FILES, folders: 6, maxDepth: 2, minSize: 100, maxSize: 2_000 });
  await limitBoth(R);

  const result = await (await startMigration('/budgeted')).result();

  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({ filesCopied: FILES, filesFailed: 0 });
  withBudget = await countersOf();
  // Every file needed at least a download and an upload: the quota was really used.
  expect(withBudget.drive.total).toBeGreaterThan(FILES);
  expect(withBudget.dropbox.total).toBeGreaterThan(FILES);
  expect(share(withBudget.drive)).toBeLessThanOrEqual(0.05);
  expect(share(withBudget.dropbox)).toBeLessThanOrEqual(0.05);
});

it('is throttled heavily by the same emulators without a budget', async () => {
  budgeted = false;
  await limitBoth(R);
  const handle = await startMigration('/unbudgeted');
  const done = handle.result().then(
    () => true,
    () => true,
  );
  // Until the migration ends, or has sent as many Drive requests as the budgeted run needed in all.
  for (;;) {
    const settled = await Promise.race([done, new Promise((r) => setTimeout(() => r(false), 200))]);
    if (settled) break;
    const now = await countersOf();
    if (now.drive.total - now.drive.throttled >= withBudget.drive.total - withBudget.drive.throttled) break;
  }
  await handle.terminate('compared').catch(() => undefined);
  const without = await countersOf();

  expect(without.drive.throttled + without.dropbox.throttled).toBeGreaterThan(
    10 * Math.max(1, withBudget.drive.throttled + withBudget.dropbox.throttled),
  );
  // Absolute and relative to the budgeted run; the share on one side depends on how fast this machine
  // sends (8.7% on Drive in one CI run, 23% in another), so it is not asserted.
  expect(without.drive.throttled + without.dropbox.throttled).toBeGreaterThanOrEqual(50);
});
