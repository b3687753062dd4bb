// The migration options google_docs and invalid_names through the real workflow on the real dev
// server: a Drive tree with Google Docs (one too large to export, one of a kind that has no export)
// and names OneDrive refuses goes to OneDrive encoded, to OneDrive with the defaults, and to the
// local disk without its Google Docs. What arrives is read back from the emulator's state and the
// disk and compared byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig, type Config } from '../../config';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { openConnector } from '../../connectors';
import { seedContent } from '../../emulators/common/seed';
import {
  exportContent,
  startGoogleDriveEmulator,
  type GoogleDriveEmulator,
} from '../../emulators/google-drive';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import { walk } from '../helpers/tree';
import {
  type ServiceName,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationOptions,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
  completeOptions,
} from '../../contract';

const TASK_QUEUE = `migration-options-${randomBase62(8)}`;
const FOLDER = 'application/vnd.google-apps.folder';
const DOC = 'application/vnd.google-apps.document';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

let tmp: string;
let drive: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
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
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-options-'));
  [drive, onedrive] = await Promise.all([startGoogleDriveEmulator(), startOneDriveEmulator()]);
  const key = generateEncryptionKey();
  config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: key,
    GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
    GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
    GOOGLE_DRIVE_API_URL: drive.url,
    GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
    ONEDRIVE_CLIENT_ID: onedrive.defaultClient.clientId,
    ONEDRIVE_CLIENT_SECRET: onedrive.defaultClient.clientSecret,
    ONEDRIVE_API_URL: `${onedrive.url}/v1.0`,
    ONEDRIVE_TOKEN_URL: `${onedrive.url}/common/oauth2/v2.0/token`,
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'options', plan: 'enterprise' });
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
  await Promise.all([drive?.close(), onedrive?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cloudConnection(service: 'google_drive' | 'onedrive', emulatorUrl: string) {
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

interface Seeded {
  /** Ordinary files: source path → bytes. */
  files: Map<string, Buffer>;
  /** Exportable Google Docs: source path → the bytes Drive's export gives and their extension. */
  exports: Map<string, { bytes: Buffer; extension: string }>;
}

/**
 * /top.txt, /Plan: Q1/{ok.txt, notes?.txt}, /CON/inside.txt,
 * /Docs/{fine.bin, desktop.ini, ~$lock.docx, a_vti_b.txt, Roadmap? (a Doc)},
 * /Google Docs/{Meeting notes, Budget, Roadmap, Huge report (over the export limit)}, /Survey (a Form).
 */
function seedDrive(): Seeded {
  drive.seed({ seed: 1, files: 0 });
  const files = new Map<string, Buffer>();
  const exports = new Map<string, { bytes: Buffer; extension: string }>();
  const folder = (name: string, parent = drive.store.rootId) =>
    drive.store.create({ name, mimeType: FOLDER, parents: [parent] }).id;
  const file = (dir: string, parent: string, name: string, size: number) => {
    const content = seedContent(`${dir}/${name}`, size);
    drive.store.create({ name, mimeType: 'application/octet-stream', parents: [parent], content });
    files.set(`${dir}/${name}`, content);
  };
  file('', drive.store.rootId, 'top.txt', 1_234);
  const plan = folder('Plan: Q1');
  file('/Plan: Q1', plan, 'ok.txt', 2_345);
  file('/Plan: Q1', plan, 'notes?.txt', 3_456);
  file('/CON', folder('CON'), 'inside.txt', 4_567);
  const docs = folder('Docs');
  for (const [name, size] of [
    ['fine.bin', 56_789],
    ['desktop.ini', 67],
    ['~$lock.docx', 165],
    ['a_vti_b.txt', 789],
  ] as const) {
    file('/Docs', docs, name, size);
  }
  const roadmapDoc = drive.store.create({
    name: 'Roadmap?',
    mimeType: DOC,
    parents: [docs],
    exportSize: 12_345,
  });
  exports.set('/Docs/Roadmap?', { bytes: exportContent(roadmapDoc, DOCX), extension: 'docx' });
  for (const n of drive.seedNatives()) {
    if (n.exportSize > 10 * 1024 * 1024) continue;
    const [mime, extension] =
      n.mimeType === DOC
        ? [DOCX, 'docx']
        : n.mimeType.endsWith('spreadsheet')
          ? [XLSX, 'xlsx']
          : [PPTX, 'pptx'];
    exports.set(n.path, { bytes: exportContent(drive.store.get(n.id)!, mime), extension });
  }
  drive.store.create({
    name: 'Survey',
    mimeType: 'application/vnd.google-apps.form',
    parents: [drive.store.rootId],
  });
  return { files, exports };
}

/** Every file the OneDrive emulator holds below `from`: path → bytes. */
function oneDriveFiles(from: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const start = onedrive.store.walk(
    onedrive.store.get(onedrive.store.rootId)!,
    from.split('/').filter(Boolean),
  );
  const visit = (parentId: string, prefix: string) => {
    for (const item of onedrive.store.children(parentId)) {
      if (item.folder) visit(item.id, `${prefix}/${item.name}`);
      else out.set(`${prefix}/${item.name}`, item.content ?? Buffer.alloc(0));
    }
  };
  if (start) visit(start.id, '');
  return out;
}

async function migrate(
  dst: { id: string; service: ServiceName },
  destinationPath: string,
  given: Partial<MigrationOptions>,
  sourcePath = '/',
): Promise<MigrationSnapshot> {
  const options = completeOptions(given);
  const src = await cloudConnection('google_drive', drive.url);
  const source = { connectionId: src.id, service: 'google_drive' as const, path: sourcePath };
  const destination = { connectionId: dst.id, service: dst.service, path: destinationPath };
  const migration = await store.migrations.create({
    accountId: account.id,
    source,
    destination,
    options,
  });
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
  const stored = await store.migrations.get(account.id, migration.id);
  expect({ status: stored?.status, error: stored?.error }).toEqual({
    status: result.status,
    error: result.error,
  });
  return result;
}

const sum = (bufs: Iterable<Buffer>) => [...bufs].reduce((n, b) => n + b.length, 0);

it('Drive → OneDrive with invalid_names "encode": look-alike names, exported Docs, the oversized one failed', async () => {
  const seeded = seedDrive();
  const dst = await cloudConnection('onedrive', onedrive.url);
  const result = await migrate(dst, '/Encoded', { conflict: 'skip', invalidNames: 'encode' });

  const expected = new Map<string, Buffer>([
    ['/top.txt', seeded.files.get('/top.txt')!],
    ['/Plan： Q1/ok.txt', seeded.files.get('/Plan: Q1/ok.txt')!],
    ['/Plan： Q1/notes？.txt', seeded.files.get('/Plan: Q1/notes?.txt')!],
    ['/ＣON/inside.txt', seeded.files.get('/CON/inside.txt')!],
    ['/Docs/fine.bin', seeded.files.get('/Docs/fine.bin')!],
    ['/Docs/ｄesktop.ini', seeded.files.get('/Docs/desktop.ini')!],
    ['/Docs/～$lock.docx', seeded.files.get('/Docs/~$lock.docx')!],
    ['/Docs/a＿vti_b.txt', seeded.files.get('/Docs/a_vti_b.txt')!],
    ['/Docs/Roadmap？.docx', seeded.exports.get('/Docs/Roadmap?')!.bytes],
    ['/Google Docs/Meeting notes.docx', seeded.exports.get('/Google Docs/Meeting notes')!.bytes],
    ['/Google Docs/Budget.xlsx', seeded.exports.get('/Google Docs/Budget')!.bytes],
    ['/Google Docs/Roadmap.pptx', seeded.exports.get('/Google Docs/Roadmap')!.bytes],
  ]);
  const held = oneDriveFiles('/Encoded');
  expect([...held.keys()].sort()).toEqual([...expected.keys()].sort());
  const unequal = [...expected].filter(([p, bytes]) => !held.get(p)!.equals(bytes)).map(([p]) => p);
  expect(unequal).toEqual([]);

  expect(result.status).toBe('completed_with_errors');
  expect(result.progress).toMatchObject({
    filesDiscovered: 14,
    foldersDiscovered: 4,
    filesCopied: 12,
    bytesCopied: sum(expected.values()),
    filesSkipped: 1,
    bytesSkipped: 0,
    filesFailed: 1,
    listingComplete: true,
  });
  // The export over Drive's limit failed as a file, with Drive's reason; the migration went on.
  expect(result.error).toMatch(/^\/Google Docs\/Huge report: .*exportSizeLimitExceeded/);
});

it('Drive → OneDrive with the defaults: refused names fail with the rule and the option, the rest arrives', async () => {
  const seeded = seedDrive();
  const dst = await cloudConnection('onedrive', onedrive.url);
  const result = await migrate(dst, '/Plain', { conflict: 'skip' });

  const expected = new Map<string, Buffer>([
    ['/top.txt', seeded.files.get('/top.txt')!],
    ['/Docs/fine.bin', seeded.files.get('/Docs/fine.bin')!],
    ['/Google Docs/Meeting notes.docx', seeded.exports.get('/Google Docs/Meeting notes')!.bytes],
    ['/Google Docs/Budget.xlsx', seeded.exports.get('/Google Docs/Budget')!.bytes],
    ['/Google Docs/Roadmap.pptx', seeded.exports.get('/Google Docs/Roadmap')!.bytes],
  ]);
  const held = oneDriveFiles('/Plain');
  expect([...held.keys()].sort()).toEqual([...expected.keys()].sort());
  expect([...expected].filter(([p, bytes]) => !held.get(p)!.equals(bytes)).map(([p]) => p)).toEqual([]);
  // The refused folders were not created, nor anything in them.
  const root = onedrive.store.walk(onedrive.store.get(onedrive.store.rootId)!, ['Plain'])!;
  expect(
    onedrive.store
      .children(root.id)
      .map((i) => i.name)
      .sort(),
  ).toEqual(['Docs', 'Google Docs', 'top.txt']);

  expect(result.status).toBe('completed_with_errors');
  expect(result.progress).toMatchObject({
    // The three files of the two refused folders (each failed on its own), five files in /Docs, four
    // Docs, the Form and top.txt.
    filesDiscovered: 14,
    foldersDiscovered: 4,
    filesCopied: 5,
    bytesCopied: sum(expected.values()),
    filesSkipped: 1,
    filesFailed: 8,
    listingComplete: true,
  });
  // The first failure reported is a file of a refused folder, with the folder's rule.
  expect(result.error).toMatch(
    /^\/(CON|Plan: Q1)\/[^/]+: OneDrive does not allow the name "(CON|Plan: Q1)": .+\. Set the migration option invalid_names: "encode" to copy it under a look-alike name\. Nothing in this folder was copied\.$/,
  );
});

it('Drive → local with google_docs "skip": the Docs count as skipped and are not there', async () => {
  const seeded = seedDrive();
  const root = path.join(tmp, 'local-dst');
  fs.mkdirSync(root);
  const dst = await store.connections.create({
    accountId: account.id,
    service: 'local',
    name: 'disk',
    config: { root },
  });
  const result = await migrate(dst, '/', { conflict: 'skip', googleDocs: 'skip' });

  // The local disk takes every name as it is.
  const found = [...walk(root)].filter((e) => e.type === 'file').map((e) => `/${e.rel}`);
  expect(found.sort()).toEqual([...seeded.files.keys()].sort());
  const unequal = [...seeded.files].filter(
    ([p, bytes]) => !fs.readFileSync(path.join(root, p)).equals(bytes),
  );
  expect(unequal.map(([p]) => p)).toEqual([]);
  expect(result).toMatchObject({
    status: 'completed',
    error: null,
    progress: {
      filesDiscovered: seeded.files.size + 6,
      foldersDiscovered: 4,
      filesCopied: seeded.files.size,
      bytesCopied: sum(seeded.files.values()),
      filesSkipped: 6,
      bytesSkipped: 0,
      filesFailed: 0,
    },
  });
});

it('a single Google Sheet as the source arrives exported under its extension', async () => {
  const seeded = seedDrive();
  const root = path.join(tmp, 'single-dst');
  fs.mkdirSync(root);
  const dst = await store.connections.create({
    accountId: account.id,
    service: 'local',
    name: 'one',
    config: { root },
  });
  const result = await migrate(dst, '/sheets', { conflict: 'skip' }, '/Google Docs/Budget');
  const bytes = seeded.exports.get('/Google Docs/Budget')!.bytes;
  expect(fs.readdirSync(path.join(root, 'sheets'))).toEqual(['Budget.xlsx']);
  expect(fs.readFileSync(path.join(root, 'sheets/Budget.xlsx')).equals(bytes)).toBe(true);
  expect(result).toMatchObject({
    status: 'completed',
    progress: { filesDiscovered: 1, filesCopied: 1, bytesCopied: bytes.length, filesFailed: 0 },
  });
});
