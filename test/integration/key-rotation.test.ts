// A key rotation while a migration runs: connections and webhook secrets sealed under key A, a worker with
// A starts a Drive → Dropbox migration (its history encrypted under A), then stops; the operator puts B
// first ("B,A") and re-seals everything (`admin rotate-key`), and a worker with "B,A" finishes the same
// migration — its old payloads open with A, its new ones are under B, every secret at rest is under B,
// tokens still refresh, and a webhook secret still opens. A second rotation changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { resealAll } from '../../cli/rotate-key';
import { newId, randomBase62 } from '../../common/ids';
import { parseKeyring } from '../../common/keyring';
import { KEY_ID_METADATA } from '../../common/payload-codec';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { loadConfig, type Config } from '../../config';
import { openConnector } from '../../connectors';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { emulatorEnv } from '../helpers/emulator-env';
import { connectTestClient, createTestWorker } from '../helpers/temporal';

jest.setTimeout(180_000);

const TASK_QUEUE = `rotation-${randomBase62(8)}`;
const A = generateEncryptionKey();
const B = generateEncryptionKey();
const before = { MIGRATECLOUDS_ENCRYPTION_KEYS: `a:${A}` };
const after = { MIGRATECLOUDS_ENCRYPTION_KEYS: `b:${B},a:${A}` };
let tmp: string;
let drive: GoogleDriveEmulator;
let dropbox: DropboxEmulator;
let config: Config;
let store: Store;
let account: Account;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-rotate-'));
  [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
  config = loadConfig({ MIGRATECLOUDS_LOCAL_ROOTS: tmp, ...emulatorEnv({ drive, dropbox }) });
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'rotation', plan: 'enterprise' });
});

afterAll(async () => {
  await store?.close();
  await Promise.all([drive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cloudConnection(box: SecretBox, service: 'google_drive' | 'dropbox', url: string) {
  const grant = (await (await fetch(`${url}/_emulator/tokens/grant`, { method: 'POST' })).json()) as {
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

async function startWorker(box: SecretBox, keys: typeof before): Promise<{ stop: () => Promise<void> }> {
  const activities = createActivities({
    store,
    connectorFactory: (c) => openConnector(c, { credentials: store.connections, config, box }),
    fileConcurrency: 2,
  });
  const made: { worker: Worker; connection: NativeConnection } = await createTestWorker(
    activities,
    TASK_QUEUE,
    keys,
  );
  const run = made.worker.run();
  return {
    async stop() {
      made.worker.shutdown();
      await run;
      await made.connection.close();
    },
  };
}

const keyIds = (history: unknown): Set<string> => {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
    const id = (v as { metadata?: Record<string, Uint8Array> }).metadata?.[KEY_ID_METADATA];
    if (id) ids.add(Buffer.from(id).toString());
    Object.values(v).forEach(walk);
  };
  walk(history);
  return ids;
};

it('finishes a migration started before the rotation; secrets end under the new key', async () => {
  const boxA = createSecretBox(parseKeyring(before.MIGRATECLOUDS_ENCRYPTION_KEYS));
  const boxBA = createSecretBox(parseKeyring(after.MIGRATECLOUDS_ENCRYPTION_KEYS));
  const seeded = drive.seed({ seed: 5, files: 80, folders: 6, maxDepth: 2, maxSize: 50_000 });
  const files = seeded.entries.filter((e) => e.type === 'file');
  const src = await cloudConnection(boxA, 'google_drive', drive.url);
  const dst = await cloudConnection(boxA, 'dropbox', dropbox.url);
  const webhookId = newId('wh');
  await store.webhooks.create({
    id: webhookId,
    accountId: account.id,
    url: 'https://hooks.invalid/mc',
    events: ['migration.completed'],
    description: null,
    secret: boxA.seal('whsec_rotation', webhookId),
  });

  const source = { connectionId: src.id, service: 'google_drive' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'dropbox' as const, path: '/copy' };
  const options = completeOptions({ conflict: 'skip' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
  };

  // Before: clients and worker know key A only. The worker stops once the migration runs.
  const first: { client: Client; connection: Connection } = await connectTestClient(before);
  const handle = await first.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const workerA = await startWorker(boxA, before);
  for (;;) {
    const m = await store.migrations.get(account.id, migration.id);
    if (m?.status === 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await workerA.stop();
  const mid = await store.migrations.get(account.id, migration.id);
  expect(mid!.status).toBe('running');

  // The rotation: B first, everything re-sealed under it, while the migration is still open.
  const report = await resealAll(store, boxBA);
  expect(report.resealed).toEqual({ connection: 2, webhook: 1 });
  expect(report.unreadable).toEqual([]);
  for (const id of [src.id, dst.id])
    expect(await store.connections.readSecrets(account.id, id)).toMatch(/^v2\.b\./);
  expect(await store.webhooks.readSecret(account.id, webhookId)).toMatch(/^v2\.b\./);
  expect(boxBA.open((await store.webhooks.readSecret(account.id, webhookId))!, webhookId)).toBe(
    'whsec_rotation',
  );
  // Idempotent: a second run finds everything current.
  expect((await resealAll(store, boxBA)).resealed).toEqual({ connection: 0, webhook: 0 });
  // A process still on key A alone cannot open them any more: every process needs "B,A" first.
  const resealedSecret = (await store.webhooks.readSecret(account.id, webhookId))!;
  expect(() => boxA.open(resealedSecret, webhookId)).toThrow();

  // After: a worker and a client with "B,A" finish the migration begun under A; tokens still refresh.
  drive.tokens.expireAll();
  dropbox.tokens.expireAll();
  const workerBA = await startWorker(boxBA, after);
  const second = await connectTestClient(after);
  try {
    const result = await second.client.workflow.getHandle(handle.workflowId).result();
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ filesCopied: files.length, filesFailed: 0 });
    expect(keyIds(await second.client.workflow.getHandle(handle.workflowId).fetchHistory())).toEqual(
      new Set(['a', 'b']),
    );
    // Refreshed tokens were sealed under B.
    expect(await store.connections.readSecrets(account.id, dst.id)).toMatch(/^v2\.b\./);
  } finally {
    await workerBA.stop();
    await Promise.all([first.connection.close(), second.connection.close()]);
  }
});
