// A migration between two cloud services, Google Drive → Dropbox, each reached through its official
// SDK at its emulator: the real workflow on the real dev server, credentials sealed in the store and
// refreshed (and re-sealed) on the way, every byte compared with what was seeded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { loadConfig, type Config } from '../../config';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { seedContent } from '../../emulators/common/seed';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';

const TASK_QUEUE = `cloud-migration-${randomBase62(8)}`;
let tmp: string;
let drive: GoogleDriveEmulator;
let dropbox: DropboxEmulator;
let config: Config;
let box: SecretBox;
let store: Store;
let account: Account;
let client: Client;
let clientConnection: Connection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cloud-'));
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
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'cloud', plan: 'enterprise' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({
    store,
    connectorFactory: (c) => openConnector(c, { credentials: store.connections, config, box }),
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
  await Promise.all([drive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A connection whose refresh token came from the emulator's consent stand-in, sealed like the API does. */
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

it('copies a Drive tree into Dropbox byte for byte, refreshing expired tokens', async () => {
  const seeded = drive.seed({ seed: 11, files: 60, folders: 8, maxDepth: 3, maxSize: 200_000 });
  const files = seeded.entries.filter((e) => e.type === 'file');
  const src = await cloudConnection('google_drive', drive.url);
  const dst = await cloudConnection('dropbox', dropbox.url);
  const sealedBefore = await store.connections.readSecrets(account.id, dst.id);
  // Every access token is now expired: both connectors must refresh, and the new tokens be stored.
  drive.tokens.expireAll();
  dropbox.tokens.expireAll();

  const source = { connectionId: src.id, service: 'google_drive' as const, path: '/' };
  const destination = { connectionId: dst.id, service: 'dropbox' as const, path: '/from drive' };
  const options = completeOptions({ conflict: 'skip' as const });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const result = await handle.result();

  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({
    filesCopied: files.length,
    bytesCopied: files.reduce((n, f) => n + f.size, 0),
    filesFailed: 0,
  });
  const sealedAfter = await store.connections.readSecrets(account.id, dst.id);
  expect(sealedAfter).not.toEqual(sealedBefore);
  expect(sealedAfter).not.toContain('rt.');

  // Read everything back through the Dropbox connector and compare with the seeded bytes.
  const reader = await openConnector((await store.connections.get(account.id, dst.id))!, {
    credentials: store.connections,
    config,
    box,
  });
  for (const f of files) {
    const parts: Buffer[] = [];
    for await (const chunk of await reader.openRead(`/from drive${f.path}`)) parts.push(chunk as Buffer);
    expect({ path: f.path, equal: Buffer.concat(parts).equals(seedContent(f.path, f.size)) }).toEqual({
      path: f.path,
      equal: true,
    });
  }
});
