// Every source file accounted for, by id: a Drive folder holding what breaks path-based copies — two
// files of one name, two folders of one name, names differing only by case, NFC and NFD spellings of
// one name, a name with "/", names OneDrive refuses (trailing space and period, "forms" at the root),
// a path over OneDrive's 400 characters — migrated through the real workflow to OneDrive, Dropbox, a
// local folder and Drive itself. One item per source file, keyed by its id; every copy's bytes equal
// its own source file's (read back through the destination's connector); renamed ones say why. A sync
// run twice over the same tree copies nothing the second time and keeps every name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { loadConfig, type Config } from '../../config';
import { openConnector, type Connector } from '../../connectors';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationEndpoint,
  type MigrationOptions,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
  type ServiceName,
} from '../../contract';
import { seedContent } from '../../emulators/common/seed';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, MigrationItem, Store } from '../../store/types';
import { emulatorConnection, emulatorEnv } from '../helpers/emulator-env';
import { connectTestClient, createTestWorker } from '../helpers/temporal';

jest.setTimeout(120_000);

const TASK_QUEUE = `every-file-${randomBase62(8)}`;
const FOLDER = 'application/vnd.google-apps.folder';
const BINARY = 'application/octet-stream';

let tmp: string;
let drive: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
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

/** Every source file: id → its path and bytes. */
const sourceFiles = new Map<string, { path: string; bytes: Buffer }>();

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-every-file-')));
  [drive, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  const key = generateEncryptionKey();
  config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: key,
    ...emulatorEnv({ drive, onedrive, dropbox }),
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'every file', plan: 'enterprise' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({
    store,
    connectorFactory: (c) => openConnector(c, { credentials: store.connections, config, box }),
    fileConcurrency: 4,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, TASK_QUEUE));
  workerRun = worker.run();
  seedDrive();
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

/**
 * /In/ (the source root): report.txt twice (the second created later), Dup/ twice (each with a.txt),
 * A.txt and a.txt, Café.txt in NFC and in NFD, "a/b.txt", "trailing space.txt ", "draft.", forms/x.txt
 * (a root folder OneDrive reserves, when /In goes to a destination root), and one file so deep that its
 * path passes 400 characters.
 */
function seedDrive(): void {
  drive.seed({ seed: 7, files: 0 });
  let minute = 0;
  const at = () => new Date(Date.UTC(2024, 0, 1, 0, minute++)).toISOString();
  const folder = (name: string, parent: string) =>
    drive.store.create({ name, mimeType: FOLDER, parents: [parent], createdTime: at() }).id;
  const file = (dir: string, parent: string, name: string) => {
    const bytes = seedContent(`${dir}/${name}#${sourceFiles.size}`, 300 + sourceFiles.size * 7);
    const f = drive.store.create({
      name,
      mimeType: BINARY,
      parents: [parent],
      content: bytes,
      createdTime: at(),
    });
    sourceFiles.set(f.id, { path: `${dir}/${name}`, bytes });
  };
  const root = folder('In', drive.store.rootId);
  file('', root, 'report.txt');
  file('', root, 'report.txt');
  file('/Dup', folder('Dup', root), 'a.txt');
  file('/Dup', folder('Dup', root), 'a.txt');
  file('', root, 'A.txt');
  file('', root, 'a.txt');
  file('', root, 'Caf\u00e9.txt');
  file('', root, 'Cafe\u0301.txt');
  file('', root, 'a/b.txt');
  file('', root, 'trailing space.txt ');
  file('', root, 'draft.');
  file('/forms', folder('forms', root), 'x.txt');
  // Four folders of 88 characters stay within OneDrive's 400; the file's path passes it.
  let deep = root;
  let dir = '';
  for (let i = 0; i < 4; i++) {
    const name = `level ${i} ${'d'.repeat(80)}`;
    deep = folder(name, deep);
    dir += `/${name}`;
  }
  file(dir, deep, `too deep ${'f'.repeat(50)}.txt`);
}

async function connection(service: ServiceName, emulatorUrl?: string) {
  if (service !== 'local') return emulatorConnection(store, box, account.id, service, emulatorUrl!);
  const root = fs.mkdtempSync(path.join(tmp, 'dst-'));
  return store.connections.create({ accountId: account.id, service, name: 'local', config: { root } });
}

async function run(
  source: MigrationEndpoint,
  destination: MigrationEndpoint,
  given: Partial<MigrationOptions>,
  sync?: { syncId: string },
): Promise<{ result: MigrationSnapshot; items: MigrationItem[] }> {
  const options = completeOptions(given);
  const migration = await store.migrations.create({ accountId: account.id, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options,
    ...(sync ? { incremental: { syncId: sync.syncId, cursor: null } } : {}),
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const result = (await handle.result()) as MigrationSnapshot;
  const items: MigrationItem[] = [];
  let pageToken: string | null = null;
  do {
    const page = await store.items.list(account.id, migration.id, {}, { pageSize: 1000, pageToken });
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { result, items };
}

async function readAll(c: Connector, p: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await c.openRead(p)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const DESTINATIONS: [ServiceName, () => string | undefined][] = [
  ['onedrive', () => onedrive.url],
  ['dropbox', () => dropbox.url],
  ['local', () => undefined],
  ['google_drive', () => drive.url],
];

describe.each(DESTINATIONS)('Drive → %s', (service, url) => {
  it('accounts for every source file by id, with its own bytes, and says why a name changed', async () => {
    const src = await connection('google_drive', drive.url);
    const dst = await connection(service, url());
    const source = { connectionId: src.id, service: 'google_drive' as const, path: '/In' };
    const destination = { connectionId: dst.id, service, path: service === 'google_drive' ? '/Out' : '/' };
    const { result, items } = await run(source, destination, { invalidNames: 'encode' });

    // One item per source file, keyed by its id.
    expect(items.map((i) => i.sourceId).sort()).toEqual([...sourceFiles.keys()].sort());
    expect(result.progress.filesCopied + result.progress.filesFailed).toBe(sourceFiles.size);

    // Only OneDrive has a path limit: the deep file fails there alone, naming the rule.
    const deep = items.find((i) => i.sourcePath.includes('/too deep '))!;
    if (service === 'onedrive') {
      expect(deep).toMatchObject({ status: 'failed', reason: expect.stringContaining('longer than 400') });
    }
    const copied = items.filter((i) => i.status === 'copied');
    expect(copied).toHaveLength(service === 'onedrive' ? sourceFiles.size - 1 : sourceFiles.size);
    expect(result.status).toBe(service === 'onedrive' ? 'completed_with_errors' : 'completed');

    // No two files landed on one name, and each copy holds its own source file's bytes.
    const reader = await openConnector((await store.connections.get(account.id, dst.id))!, {
      credentials: store.connections,
      config,
      box,
    });
    const key = (p: string) => (reader.features.caseInsensitive ? p.toLowerCase() : p).normalize('NFC');
    expect(new Set(copied.map((i) => key(i.destinationPath!))).size).toBe(copied.length);
    for (const item of copied) {
      const expected = sourceFiles.get(item.sourceId!)!.bytes;
      expect({
        path: item.destinationPath,
        equal: (await readAll(reader, item.destinationPath!)).equals(expected),
      }).toEqual({ path: item.destinationPath, equal: true });
    }

    // The older of two same-named files keeps the name; the other is renamed, saying why.
    // Items come back in the order they were recorded (copies run in parallel), so order by creation.
    const created = [...sourceFiles.keys()];
    const reports = items
      .filter((i) => i.sourcePath === '/In/report.txt')
      .sort((a, b) => created.indexOf(a.sourceId!) - created.indexOf(b.sourceId!));
    expect(reports.map((i) => i.destinationPath?.split('/').pop())).toEqual(['report.txt', 'report (2).txt']);
    expect(reports[1]!.note).toBe(
      'another entry in this folder has the name "report.txt": renamed "report (2).txt"',
    );
    const base = destination.path === '/' ? '' : destination.path;
    const dups = items.filter((i) => i.sourcePath === '/In/Dup/a.txt').map((i) => i.destinationPath);
    expect(dups.sort()).toEqual([`${base}/Dup (2)/a.txt`, `${base}/Dup/a.txt`].sort());
    // NFC and NFD spellings of one name never overwrite each other.
    const cafes = items.filter((i) => i.sourcePath.normalize('NFC').endsWith('/Café.txt'));
    expect(cafes.filter((i) => i.note?.includes('renamed'))).toHaveLength(1);
    expect(cafes.find((i) => i.note)!.note).toMatch(
      /^another entry in this folder is named "Café\.txt" in another Unicode form/,
    );
    if (reader.features.caseInsensitive) {
      const lower = items.find((i) => i.sourcePath === '/In/a.txt')!;
      expect(lower.destinationPath).toMatch(/\/a \(2\)\.txt$/);
      expect(lower.note).toBe(
        'another entry in this folder is named "A.txt", the same name at the destination ' +
          '(it does not tell upper from lower case): renamed "a (2).txt"',
      );
    }
    if (service === 'onedrive') {
      expect(items.find((i) => i.sourcePath === '/In/draft.')!.destinationPath).toBe('/draft．');
      expect(items.find((i) => i.sourcePath === '/In/forms/x.txt')!.destinationPath).toBe('/ｆorms/x.txt');
    }
  });
});

it('keeps every name across sync runs, and copies nothing the second time', async () => {
  const src = await connection('google_drive', drive.url);
  const dst = await connection('dropbox', dropbox.url);
  const source = { connectionId: src.id, service: 'google_drive' as const, path: '/In' };
  const destination = { connectionId: dst.id, service: 'dropbox' as const, path: '/Synced' };
  const sync = { syncId: `sync_${randomBase62(12)}` };
  dropbox.counters.reset();
  const first = await run(source, destination, { invalidNames: 'encode' }, sync);
  expect(first.result.status).toBe('completed');
  expect(first.result.progress.filesCopied).toBe(sourceFiles.size);
  const second = await run(source, destination, { invalidNames: 'encode' }, sync);
  expect(second.result.status).toBe('completed');
  expect(second.result.progress).toMatchObject({
    filesCopied: 0,
    filesSkipped: sourceFiles.size,
    filesFailed: 0,
  });
  const uploads = dropbox.counters.snapshot().requests['POST /2/files/upload'] ?? 0;
  expect(uploads).toBe(sourceFiles.size);
  // Unchanged files are counted, never recorded one by one: the second run has no item.
  expect(second.items).toEqual([]);
  expect(new Set(first.items.map((i) => i.sourceId)).size).toBe(sourceFiles.size);
});

describe('failures stay local', () => {
  it('a folder that cannot be listed, or created at the destination, fails alone; the rest is copied', async () => {
    const src = await connection('google_drive', drive.url);
    const dst = await connection('local');
    const dstRoot = String(dst.config.root);
    const root = drive.store.create({ name: 'Partly', mimeType: FOLDER, parents: [drive.store.rootId] }).id;
    const put = (parent: string, name: string) =>
      drive.store.create({ name, mimeType: BINARY, parents: [parent], content: Buffer.from(name) });
    const folder = (parent: string, name: string) =>
      drive.store.create({ name, mimeType: FOLDER, parents: [parent] }).id;
    put(folder(root, 'ok'), 'a.txt');
    put(root, 'x.txt');
    // Shared without read access: its listing is refused.
    const locked = drive.store.get(folder(root, 'locked'))!;
    put(locked.id, 'hidden.txt');
    locked.unreadable = true;
    // Where the source has the folder "blocked", the destination has a file: it cannot be created.
    const blocked = folder(root, 'blocked');
    put(blocked, 'one.txt');
    put(folder(blocked, 'deeper'), 'two.txt');
    fs.writeFileSync(path.join(dstRoot, 'blocked'), 'a file in the way');

    const { result, items } = await run(
      { connectionId: src.id, service: 'google_drive', path: '/Partly' },
      { connectionId: dst.id, service: 'local', path: '/' },
      {},
    );
    expect(result.status).toBe('completed_with_errors');
    expect(result.progress).toMatchObject({ filesCopied: 2, filesFailed: 3 });
    const byPath = new Map(items.map((i) => [i.sourcePath, i]));
    for (const p of ['/Partly/ok/a.txt', '/Partly/x.txt']) expect(byPath.get(p)?.status).toBe('copied');
    expect(byPath.get('/Partly/locked')).toMatchObject({
      status: 'failed',
      sourceId: locked.id,
      reason: expect.stringMatching(/^The folder could not be listed, so none of its files was copied: /),
    });
    for (const p of ['/Partly/blocked/one.txt', '/Partly/blocked/deeper/two.txt']) {
      expect(byPath.get(p)).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/^The destination folder \/blocked could not be created/),
      });
    }
    expect(fs.readFileSync(path.join(dstRoot, 'ok/a.txt'), 'utf8')).toBe('a.txt');
    expect(fs.readFileSync(path.join(dstRoot, 'blocked'), 'utf8')).toBe('a file in the way');
    expect(fs.existsSync(path.join(dstRoot, 'locked'))).toBe(true);
  });

  it('a folder whose name the destination refuses: each of its files is an item, failed with the rule', async () => {
    const src = await connection('google_drive', drive.url);
    const dst = await connection('onedrive', onedrive.url);
    const root = drive.store.create({ name: 'Refused', mimeType: FOLDER, parents: [drive.store.rootId] }).id;
    const con = drive.store.create({ name: 'CON', mimeType: FOLDER, parents: [root] }).id;
    for (const name of ['1.txt', '2.txt'])
      drive.store.create({ name, mimeType: BINARY, parents: [con], content: Buffer.from(name) });
    drive.store.create({ name: 'fine.txt', mimeType: BINARY, parents: [root], content: Buffer.from('fine') });
    const { result, items } = await run(
      { connectionId: src.id, service: 'google_drive', path: '/Refused' },
      { connectionId: dst.id, service: 'onedrive', path: '/Refused' },
      { invalidNames: 'fail' },
    );
    expect(result.status).toBe('completed_with_errors');
    expect(items.map((i) => [i.sourcePath, i.status]).sort()).toEqual([
      ['/Refused/CON/1.txt', 'failed'],
      ['/Refused/CON/2.txt', 'failed'],
      ['/Refused/fine.txt', 'copied'],
    ]);
    expect(items.find((i) => i.sourcePath === '/Refused/CON/1.txt')!.reason).toMatch(
      /^OneDrive does not allow the name "CON": .* Nothing in this folder was copied\.$/,
    );
  });
});
