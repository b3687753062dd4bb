// A large file survives the worker: the real worker process (dist/worker/main.js) is killed with
// SIGKILL while a 40 MiB file is uploading to the OneDrive emulator; a new worker resumes the same
// upload session from its committed offset (the emulator receives well under twice the file) and the
// migration completes with identical bytes and no duplicates. Then a cancelled migration gives its
// upload session up (DELETE on the uploadUrl).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import type { UploadSession } from '../../connectors/cloud';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient } from '../helpers/temporal';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `large-resume-${randomBase62(8)}`;
const MiB = 1024 * 1024;
const KEY = generateEncryptionKey();
let tmp: string;
let databaseUrl: string;
let store: Store;
let account: Account;
let onedrive: OneDriveEmulator;
let client: Client;
let connection: Connection;
const workers: ChildProcess[] = [];

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
      ONEDRIVE_CLIENT_ID: onedrive.defaultClient.clientId,
      ONEDRIVE_CLIENT_SECRET: onedrive.defaultClient.clientSecret,
      ONEDRIVE_API_URL: onedrive.url,
      ONEDRIVE_TOKEN_URL: `${onedrive.url}/common/oauth2/v2.0/token`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-large-')));
  databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  account = await store.accounts.create({ name: 'large', plan: 'pro' });
  onedrive = await startOneDriveEmulator();
  ({ client, connection } = await connectTestClient());
}, 300_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await connection?.close();
  await store?.close();
  await onedrive?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A migration of the local folder `name` into OneDrive's `/name`, files from 16 MiB on large. */
async function startMigration(name: string): Promise<{ handle: WorkflowHandle; migrationId: string }> {
  const src = await store.connections.create({
    accountId: account.id,
    service: 'local',
    name,
    config: { root: path.join(tmp, name) },
  });
  const grant = onedrive.tokens.grant(onedrive.defaultClient.clientId);
  const id = newId('conn');
  const tokens = { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null };
  const dst = await store.connections.create({
    id,
    accountId: account.id,
    service: 'onedrive',
    name: `${name}-dst`,
    config: {},
    secrets: createSecretBox(KEY).seal(JSON.stringify(tokens), id),
  });
  const source = { connectionId: src.id, service: 'local' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'onedrive' as const, path: `/${name}` };
  const options = completeOptions({ conflict: 'skip' as const, verify: 'checksum' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
    tuning: { largeFileBytes: 16 * MiB },
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  return { handle, migrationId: migration.id };
}

function writeSource(name: string, files: Record<string, number>): Record<string, Buffer> {
  fs.mkdirSync(path.join(tmp, name), { recursive: true });
  const out: Record<string, Buffer> = {};
  for (const [file, size] of Object.entries(files)) {
    out[file] = randomBytes(size);
    fs.writeFileSync(path.join(tmp, name, file), out[file]);
  }
  return out;
}

/** The upload session the large-file activity last heartbeated, as the server holds it. */
async function heartbeatedSession(handle: WorkflowHandle): Promise<UploadSession | null> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  for (const a of pending) {
    const payload = a.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    const details = defaultPayloadConverter.fromPayload<{ session?: UploadSession | null }>(payload);
    if (details.session) return details.session;
  }
  return null;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sessionsCreated = () =>
  Object.entries(onedrive.counters.snapshot().requests)
    .filter(([k]) => k.includes('createUploadSession'))
    .reduce((n, [, v]) => n + v, 0);

it('resumes a large upload mid-file after the worker is killed', async () => {
  const size = 40 * MiB;
  const files = writeSource('crash', { 'big.bin': size, 'a.txt': 3_000, 'b.txt': 5_000 });
  onedrive.counters.reset();
  const first = startWorker();
  const { handle, migrationId } = await startMigration('crash');

  // Once the session exists, slow every request so that the kill lands mid-file.
  await until('the upload session', async () => onedrive.uploadSessions.size > 0);
  onedrive.faults.update({ latencyMs: 3_000 });
  const session = await until('a heartbeated session with committed bytes', async () => {
    const s = await heartbeatedSession(handle);
    return s && s.offset > 0 && s;
  });
  first.kill('SIGKILL');
  const [held] = [...onedrive.uploadSessions.values()];
  expect(held!.received).toBeLessThan(size);
  expect(session.size).toBe(size);
  onedrive.faults.update({ latencyMs: 0 });

  startWorker();
  const result = await handle.result();
  expect(result.status).toBe('completed');
  // A small file the killed worker wrote without reporting it is found at the destination: skipped.
  const { filesCopied, filesSkipped, filesFailed } = result.progress;
  expect({ done: filesCopied + filesSkipped, filesFailed }).toEqual({ done: 3, filesFailed: 0 });

  // One session, resumed: the emulator got the file about once, not twice.
  expect(sessionsCreated()).toBe(1);
  const bytesIn = onedrive.counters.snapshot().bytes_in;
  expect(bytesIn).toBeGreaterThanOrEqual(size);
  expect(bytesIn).toBeLessThan(1.5 * size);

  const children = onedrive.store.children(folder('crash').id);
  expect(children.map((c) => c.name).sort()).toEqual(['a.txt', 'b.txt', 'big.bin']);
  for (const c of children) expect(c.content!.equals(files[c.name]!)).toBe(true);
  expect((await store.migrations.get(account.id, migrationId))?.status).toBe('completed');
}, 120_000);

function folder(name: string) {
  const item = onedrive.store.child(onedrive.store.rootId, name);
  if (!item) throw new Error(`No folder ${name} at the destination`);
  return item;
}

it('a cancelled migration gives up its large upload session', async () => {
  writeSource('cancel', { 'big.bin': 24 * MiB });
  onedrive.counters.reset();
  if (!workers.some((w) => w.exitCode === null && !w.killed)) startWorker();
  const { handle, migrationId } = await startMigration('cancel');
  await until('the upload session', async () => onedrive.uploadSessions.size > 0);
  // 24 MiB in three fragments of at least 2 s each: cancelled mid-file (the activity learns of the
  // cancellation with its next heartbeat's answer, within a second or so).
  onedrive.faults.update({ latencyMs: 2_000 });
  await until('committed bytes', async () => {
    const [s] = [...onedrive.uploadSessions.values()];
    if (!s) throw new Error('The upload finished before it could be cancelled');
    return s.received > 0;
  });
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow();
  onedrive.faults.update({ latencyMs: 0 });

  expect(onedrive.counters.snapshot().requests['DELETE /_upload/{id}']).toBe(1);
  expect(onedrive.uploadSessions.size).toBe(0);
  expect(onedrive.store.children(folder('cancel').id)).toEqual([]);
  expect((await store.migrations.get(account.id, migrationId))?.status).toBe('cancelled');
}, 60_000);
