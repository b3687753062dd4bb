// Conflict policies decided from exploring's listing of the destination folder (no stat per file)
// behave as they did with a stat: into Dropbox, which ignores case, a destination holding an older
// file, a newer one under another case, an identical one and a folder at the source's names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { loadConfig } from '../../config';
import { randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { seedContent } from '../../emulators/common/seed';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { emulatorConnection, emulatorEnv } from '../helpers/emulator-env';
import { startMigrationWorkflow } from '../helpers/migrations';
import { runTestWorker } from '../helpers/temporal';
import type { ConflictPolicy, MigrationSnapshot } from '../../contract';

const TASK_QUEUE = `listed-conflicts-${randomBase62(8)}`;
const SOURCE_TIME = '2025-01-01T00:00:00.000Z';
const NAMES = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
const SIZE = 300;

let tmp: string;
let drive: GoogleDriveEmulator;
let dropbox: DropboxEmulator;
let box: SecretBox;
let store: Store;
let account: Account;
let client: Client;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-listed-'));
  [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
  drive.seed({
    files: 0,
    tree: [
      { path: '/src', type: 'folder', size: 0, modifiedAt: SOURCE_TIME },
      ...NAMES.map((n) => ({
        path: `/src/${n}`,
        type: 'file' as const,
        size: SIZE,
        modifiedAt: SOURCE_TIME,
      })),
    ],
  });
  const key = generateEncryptionKey();
  const config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: key,
    ...emulatorEnv({ drive, dropbox }),
  });
  box = createSecretBox(key);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'listed', plan: 'enterprise' });
  const activities = createActivities({
    store,
    connectorFactory: (c) => openConnector(c, { credentials: store.connections, config, box }),
    fileConcurrency: 2,
  });
  ({ client, stop: stopWorker } = await runTestWorker(activities, TASK_QUEUE));
});

afterAll(async () => {
  await stopWorker?.();
  await store?.close();
  await Promise.all([drive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const source = (name: string) => seedContent(`/src/${name}`, SIZE);

/** The destination folder `at`: an older a.txt, a newer B.TXT, c.txt as the source has it, a folder d.txt. */
function prepare(at: string) {
  dropbox.store.createFolder(at);
  dropbox.store.writeFile(`${at}/a.txt`, Buffer.from('an older a'), '2020-01-01T00:00:00Z');
  dropbox.store.writeFile(`${at}/B.TXT`, Buffer.from('a newer b'), '2030-01-01T00:00:00Z');
  dropbox.store.writeFile(`${at}/c.txt`, source('c.txt'), '2025-01-01T00:00:00Z');
  dropbox.store.createFolder(`${at}/d.txt`);
}

async function migrate(conflict: ConflictPolicy) {
  const at = `/${conflict}`;
  prepare(at);
  const src = await emulatorConnection(store, box, account.id, 'google_drive', drive.url);
  const dst = await emulatorConnection(store, box, account.id, 'dropbox', dropbox.url);
  const { handle } = await startMigrationWorkflow(client, store, TASK_QUEUE, {
    accountId: account.id,
    source: { connectionId: src.id, service: 'google_drive', path: '/src' },
    destination: { connectionId: dst.id, service: 'dropbox', path: at },
    options: { conflict },
  });
  const result = (await handle.result()) as MigrationSnapshot;
  const held = new Map(
    dropbox.store
      .under(at, false)
      .map((n) => [
        n.pathDisplay.slice(at.length + 1),
        n.tag === 'folder' ? 'folder' : n.content!.toString('latin1'),
      ]),
  );
  return { progress: result.progress, held };
}

const text = (b: Buffer) => b.toString('latin1');

it('skip keeps every file there and copies the rest', async () => {
  const { progress, held } = await migrate('skip');
  expect(progress).toMatchObject({ filesCopied: 1, filesSkipped: 3, filesFailed: 1 });
  expect(held).toEqual(
    new Map([
      ['a.txt', 'an older a'],
      ['B.TXT', 'a newer b'],
      ['c.txt', text(source('c.txt'))],
      ['d.txt', 'folder'],
      ['e.txt', text(source('e.txt'))],
    ]),
  );
});

it('overwrite replaces every file there, whatever its case', async () => {
  const { progress, held } = await migrate('overwrite');
  expect(progress).toMatchObject({ filesCopied: 4, filesSkipped: 0, filesFailed: 1 });
  expect(held.get('a.txt')).toBe(text(source('a.txt')));
  expect(held.get('B.TXT') ?? held.get('b.txt')).toBe(text(source('b.txt')));
  expect(held.size).toBe(5);
});

it('newer replaces the older file only', async () => {
  const { progress, held } = await migrate('newer');
  expect(progress).toMatchObject({ filesCopied: 2, filesSkipped: 2, filesFailed: 1 });
  expect(held.get('a.txt')).toBe(text(source('a.txt')));
  expect(held.get('B.TXT')).toBe('a newer b');
});

it('rename copies beside the different files and skips the identical one', async () => {
  const { progress, held } = await migrate('rename');
  expect(progress).toMatchObject({ filesCopied: 3, filesSkipped: 1, filesFailed: 1 });
  expect(held.get('a.txt')).toBe('an older a');
  expect(held.get('a (1).txt')).toBe(text(source('a.txt')));
  expect(held.get('B.TXT')).toBe('a newer b');
  expect(held.get('b (1).txt')).toBe(text(source('b.txt')));
  expect(held.size).toBe(7);
});
