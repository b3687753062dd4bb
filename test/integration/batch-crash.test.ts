// A batch of small files survives the worker: the real worker process (dist/worker/main.js) is
// killed with SIGKILL while a batch is being copied INTO Google Drive — which lets two files of one
// name share a folder, so any write repeated blindly would show as a duplicate. The kill lands right
// after a file appeared at the destination (its outcome most likely not yet reported), with some of
// the batch copied and some not. A new worker retries the batch; the migration completes with every
// file copied exactly once: identical bytes, no name twice in any Drive folder, one `copied` item
// per file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { MigrationItem, Store } from '../../store/types';
import { asMap, driveTree, duplicatePaths } from '../helpers/emulator-trees';
import { connectTestClient } from '../helpers/temporal';
import { snapshotTree, writeTree } from '../helpers/tree';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `batch-crash-${randomBase62(8)}`;
const KEY = generateEncryptionKey();
let tmp: string;
let databaseUrl: string;
let store: Store;
let drive: GoogleDriveEmulator;
let client: Client;
let connection: Connection;
const workers: ChildProcess[] = [];

/** The real worker process, as `npm run worker` starts it, with Google Drive at the emulator. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      MIGRATECLOUDS_TASK_QUEUE: TASK_QUEUE,
      MIGRATECLOUDS_LOCAL_ROOTS: tmp,
      MIGRATECLOUDS_ENCRYPTION_KEY: KEY,
      GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
      GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
      GOOGLE_DRIVE_API_URL: drive.url,
      GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
      GOOGLE_DRIVE_REQUESTS_PER_SECOND: '0',
      MIGRATION_FILE_CONCURRENCY: '4',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-batch-crash-')));
  databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  drive = await startGoogleDriveEmulator();
  ({ client, connection } = await connectTestClient({ MIGRATECLOUDS_ENCRYPTION_KEY: KEY }));
}, 300_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await connection?.close();
  await store?.close();
  await drive?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Files at the destination so far (the emulator's own view). */
const filesAtDestination = () => {
  try {
    return driveTree(drive, '/Crash').filter((e) => e.digest !== 'folder').length;
  } catch {
    return 0;
  }
};

it('copies a batch into Drive exactly once after the worker is killed mid-batch', async () => {
  const srcRoot = path.join(tmp, 'src');
  const tree = writeTree(srcRoot, { folders: 2, filesPerFolder: 30, depth: 1, minBytes: 1, maxBytes: 3_000 });
  const account = await store.accounts.create({ name: 'batch-crash', plan: 'pro' });
  // The worker keeps local connections inside the folders granted to their account.
  await store.localGrants.grant(account.id, fs.realpathSync(tmp));
  const src = await store.connections.create({
    accountId: account.id,
    service: 'local',
    name: 'src',
    config: { root: srcRoot },
  });
  const grant = drive.tokens.grant(drive.defaultClient.clientId);
  const id = newId('conn');
  const tokens = { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null };
  const dst = await store.connections.create({
    id,
    accountId: account.id,
    service: 'google_drive',
    name: 'drive',
    config: {},
    secrets: createSecretBox(KEY).seal(JSON.stringify(tokens), id),
  });
  const source = { connectionId: src.id, service: 'local' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'google_drive' as const, path: '/Crash' };
  const options = completeOptions({ conflict: 'skip' as const, verify: 'checksum' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
    // One batch holding every file.
    tuning: { batchMaxFiles: 100, concurrency: 1 },
  };

  // Every Drive request takes a while, so the batch is still going when the worker dies.
  drive.faults.update({ latencyMs: 120 });
  const first = startWorker();
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  // Killed the moment another file appears, past a few and well before the last.
  let atKill = 0;
  for (let seen = 0; ;) {
    const now = filesAtDestination();
    if (now > seen && now >= 8) {
      first.kill('SIGKILL');
      atKill = now;
      break;
    }
    seen = now;
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(atKill).toBeLessThan(tree.files - 20);
  drive.faults.update({ latencyMs: 0 });

  startWorker();
  const result = await handle.result();

  // The batch really was retried: its second attempt ran on the new worker.
  const history = await handle.fetchHistory();
  const types = new Map<string, string>();
  let copyRetries = 0;
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started && (started.attempt ?? 1) > 1 && types.get(String(started.scheduledEventId)) === 'copyFiles')
      copyRetries++;
  }
  expect(copyRetries).toBeGreaterThan(0);

  expect(result.status).toBe('completed');
  // Every file copied, none skipped: what the killed worker wrote is recognised as its own copy.
  expect(result.progress).toMatchObject({ filesCopied: tree.files, filesSkipped: 0, filesFailed: 0 });
  const items: MigrationItem[] = [];
  for (let token: string | null = null; ;) {
    const page = await store.items.list(account.id, migration.id, {}, { pageSize: 1000, pageToken: token });
    items.push(...page.items);
    if (!(token = page.nextPageToken)) break;
  }
  expect(items.length).toBe(tree.files);
  expect(new Set(items.map((i) => i.sourcePath)).size).toBe(tree.files);
  expect(items.filter((i) => i.status !== 'copied')).toEqual([]);

  const copied = driveTree(drive, '/Crash');
  expect(duplicatePaths(copied)).toEqual([]);
  expect(asMap(copied)).toEqual(await snapshotTree(srcRoot));
  expect((await store.migrations.get(account.id, migration.id))?.status).toBe('completed');
}, 90_000);
