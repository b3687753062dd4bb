// What a small file costs in requests, counted by the emulators themselves: every pair of cloud
// services, on the real workflow and dev server, copies a tree of small files for at most 1.1 requests
// per file on each side (the listing gives each file's id; each destination folder is listed once,
// not each name looked up). Copying again into the full destination under `skip` costs next to
// nothing per file. A write whose answer is lost is tried again without writing the file twice, even
// into Drive, which would keep two files of one name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { loadConfig } from '../../config';
import { randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { generateTree } from '../../emulators/common/seed';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { emulatorConnection, emulatorEnv } from '../helpers/emulator-env';
import { asMap, driveTree, dropboxTree, duplicatePaths, oneDriveTree } from '../helpers/emulator-trees';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type ConflictPolicy,
  type MigrationSnapshot,
  type ServiceName,
} from '../../contract';

const TASK_QUEUE = `requests-per-file-${randomBase62(8)}`;
/** About 75 files a folder: what is paid per folder (its listing or creation) is shared by its files. */
const FILES = 300;
const MAX_PER_FILE = 1.1;

type Emulator = GoogleDriveEmulator | OneDriveEmulator | DropboxEmulator;
type Cloud = Exclude<ServiceName, 'local'>;

let tmp: string;
let drive: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
let dropbox: DropboxEmulator;
let box: SecretBox;
let store: Store;
let account: Account;
let client: Client;
let clientConnection: Connection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;

/** FILES small files in folders below /src (the same tree on every service). */
const tree = () => {
  const entries = generateTree({
    seed: 5,
    files: FILES,
    folders: 4,
    maxDepth: 2,
    minSize: 100,
    maxSize: 8000,
  });
  const now = new Date().toISOString();
  return [
    { path: '/src', type: 'folder' as const, size: 0, modifiedAt: now },
    ...entries.map((e) => ({ ...e, path: `/src${e.path}` })),
  ];
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-requests-'));
  [drive, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  for (const emu of [drive, onedrive, dropbox]) emu.seed({ files: 0, tree: tree() });
  const key = generateEncryptionKey();
  const config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: key,
    ...emulatorEnv({ drive, onedrive, dropbox }),
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'requests', plan: 'enterprise' });
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
  await Promise.all([drive?.close(), onedrive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const emulatorOf = (service: Cloud): Emulator =>
  service === 'google_drive' ? drive : service === 'onedrive' ? onedrive : dropbox;

/** What the emulator of `service` holds below `at`, by relative path. */
const treeOf = (service: Cloud, at: string) =>
  asMap(
    service === 'google_drive'
      ? driveTree(drive, at)
      : service === 'onedrive'
        ? oneDriveTree(onedrive, at)
        : dropboxTree(dropbox, at),
  );

/** Migrates /src of `from` to `to` at `at`; the requests each side served meanwhile. */
async function migrate(from: Cloud, to: Cloud, at: string, conflict: ConflictPolicy = 'skip') {
  const src = await emulatorConnection(store, box, account.id, from, emulatorOf(from).url);
  const dst = await emulatorConnection(store, box, account.id, to, emulatorOf(to).url);
  const source = { connectionId: src.id, service: from, path: '/src' };
  const destination = { connectionId: dst.id, service: to, path: at };
  const options = completeOptions({ conflict });
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  for (const emu of [drive, onedrive, dropbox]) emu.counters.reset();
  const result: MigrationSnapshot = await client.workflow.execute(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [{ migrationId: migration.id, accountId: account.id, source, destination, options }],
  });
  const counted = (service: Cloud) => emulatorOf(service).counters.snapshot();
  return { result, source: counted(from), destination: counted(to) };
}

const perFile = (total: number) => total / FILES;

describe.each([
  ['google_drive', 'dropbox', '/from drive'],
  ['dropbox', 'onedrive', '/from dropbox'],
  ['onedrive', 'google_drive', '/from onedrive'],
] as [Cloud, Cloud, string][])('%s → %s', (from, to, at) => {
  it(`copies ${FILES} small files for at most ${MAX_PER_FILE} requests per file on each side`, async () => {
    const { result, source, destination } = await migrate(from, to, at);
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ filesCopied: FILES, filesFailed: 0 });
    expect(treeOf(to, at)).toEqual(treeOf(from, '/src'));
    // Shown when it fails: where the requests went.
    const report = { source: source.requests, destination: destination.requests };
    expect({ report, source: perFile(source.total) <= MAX_PER_FILE }).toEqual({ report, source: true });
    expect({ report, destination: perFile(destination.total) <= MAX_PER_FILE }).toEqual({
      report,
      destination: true,
    });
  });

  it('copies again into the full destination, skipping every file, for a few requests per folder', async () => {
    const { result, source, destination } = await migrate(from, to, at);
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ filesCopied: 0, filesSkipped: FILES, filesFailed: 0 });
    // Nothing is read and nothing looked up per file: listings and folders only.
    const report = { source: source.requests, destination: destination.requests };
    expect({ report, cheap: perFile(source.total + destination.total) <= 0.25 }).toEqual({
      report,
      cheap: true,
    });
  });
});

it('tries a write whose answer was lost again without a second file of that name in Drive', async () => {
  const at = '/lost answers';
  // The first writes (the folders, then files) lose their answers: each next try must find its write.
  drive.faults.update({ loseAnswerNext: 20 });
  const { result } = await migrate('dropbox', 'google_drive', at, 'rename');
  expect(drive.counters.lostAnswers).toBe(20);
  expect(result.status).toBe('completed');
  expect(result.progress).toMatchObject({ filesCopied: FILES, filesFailed: 0 });
  expect(duplicatePaths(driveTree(drive, at))).toEqual([]);
  expect(treeOf('google_drive', at)).toEqual(treeOf('dropbox', '/src'));
});
