// Sync runs of the migration workflow (input.incremental), on the real dev server with real workers:
// Drive → Dropbox through the emulators, where the second run reads Drive's change feed and copies only
// what changed (the emulators' counters say so), mirror mode removes a deleted file and a renamed
// folder's old copy, and an expired cursor falls back to a comparison that copies nothing; local →
// local, where a comparison skips unchanged files, mirror mode deletes extraneous ones (never
// excluded ones), and max_delete stops a run before it deletes anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Client, Connection as TemporalConnection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector, type Connector } from '../../connectors';
import { loadConfig, type Config } from '../../config';
import { newId, randomBase62 } from '../../common/ids';
import { createSecretBox, generateEncryptionKey, type SecretBox } from '../../common/secret-box';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { createStore } from '../../store';
import type { Account, Connection, Store } from '../../store/types';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import {
  type MigrationEndpoint,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationOptions,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
  completeOptions,
} from '../../contract';

const TASK_QUEUE = `incremental-${randomBase62(8)}`;
let tmp: string;
let drive: GoogleDriveEmulator;
let dropbox: DropboxEmulator;
let config: Config;
let box: SecretBox;
let store: Store;
let account: Account;
let client: Client;
let clientConnection: TemporalConnection;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
/** Source paths the workers opened for reading (the source side of every copy). */
const reads: string[] = [];

const open = (c: Connection) => openConnector(c, { credentials: store.connections, config, box });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-incremental-'));
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
  account = await store.accounts.create({ name: 'sync', plan: 'enterprise' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({
    store,
    connectorFactory: async (c) => {
      const real = await open(c);
      return { ...real, openRead: (p, o) => (reads.push(p), real.openRead(p, o)) };
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

const localConnection = (root: string) =>
  store.connections.create({ accountId: account.id, service: 'local', name: root, config: { root } });

/** One sync run, as the sync's workflow starts it: the result, or the failure's message. */
async function runSync(
  source: MigrationEndpoint,
  destination: MigrationEndpoint,
  options: Partial<MigrationOptions>,
  syncId: string,
  cursor: string | null,
): Promise<{ result?: MigrationSnapshot; failure?: string; migrationId: string }> {
  const opts = completeOptions({ conflict: 'skip', ...options });
  const migration = await store.migrations.create({
    accountId: account.id,
    source,
    destination,
    options: opts,
  });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination,
    options: opts,
    incremental: { syncId, cursor },
  };
  reads.length = 0;
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  try {
    return { result: (await handle.result()) as MigrationSnapshot, migrationId: migration.id };
  } catch {
    const stored = await store.migrations.get(account.id, migration.id);
    return { failure: stored?.error ?? 'unknown', migrationId: migration.id };
  }
}

const text = (s: string) => ({ data: Readable.from([Buffer.from(s)]), size: Buffer.byteLength(s) });
async function put(c: Connector, p: string, s: string) {
  const { data, size } = text(s);
  await c.write(p, data, { overwrite: true, size });
}
const uploads = () => dropbox.counters.snapshot().requests['POST /2/files/upload'] ?? 0;

it('reads the Drive change feed: only changed files are read and uploaded; mirror mode follows deletes and renames', async () => {
  const src = await cloudConnection('google_drive', drive.url);
  const dst = await cloudConnection('dropbox', dropbox.url);
  const d = await open(src);
  await d.mkdir('/Sync/docs');
  await d.mkdir('/Sync/photos');
  for (let i = 0; i < 5; i++) await put(d, `/Sync/docs/doc ${i}.txt`, `document ${i} `.repeat(400));
  for (let i = 0; i < 4; i++) await put(d, `/Sync/photos/p${i}.jpg`, `photo ${i} `.repeat(900));
  await d.mkdir('/Outside');
  await put(d, '/Outside/x.txt', 'not synced');
  const source = { connectionId: src.id, service: 'google_drive' as const, path: '/Sync' };
  const destination = { connectionId: dst.id, service: 'dropbox' as const, path: '/Mirror' };
  const syncId = `sync_${randomBase62(12)}`;
  const mirror = { deleteExtraneous: true };

  // Run 1: no cursor yet, a comparison that copies everything and hands back Drive's position.
  const first = await runSync(source, destination, mirror, syncId, null);
  expect(first.result?.status).toBe('completed');
  expect(first.result?.progress).toMatchObject({ filesCopied: 9, filesFailed: 0 });
  expect(first.result?.cursor).toEqual(expect.any(String));

  // At the source: one file changed, one added, one deleted.
  await put(d, '/Sync/docs/doc 1.txt', 'document 1, edited');
  await put(d, '/Sync/docs/new.txt', 'a new document');
  await d.delete!('/Sync/photos/p2.jpg');
  drive.counters.reset();
  dropbox.counters.reset();

  const second = await runSync(source, destination, mirror, syncId, first.result!.cursor!);
  expect(second.result?.status).toBe('completed');
  expect(second.result?.progress).toMatchObject({ filesCopied: 2, filesFailed: 0, filesDeleted: 1 });
  expect(reads.sort()).toEqual(['/Sync/docs/doc 1.txt', '/Sync/docs/new.txt']);
  expect(uploads()).toBe(2);
  // Drive sent no more bytes than the two small files and some metadata: nothing else was downloaded.
  expect(drive.counters.bytesOut).toBeLessThan(20_000);
  const b = await open(dst);
  await expect(b.stat('/Mirror/photos/p2.jpg')).rejects.toMatchObject({ kind: 'not_found' });
  expect((await b.stat('/Mirror/docs/doc 1.txt')).size).toBe(Buffer.byteLength('document 1, edited'));
  const items = await store.items.list(
    account.id,
    second.migrationId,
    { status: 'deleted' },
    { pageSize: 10 },
  );
  expect(items.items.map((i) => i.destinationPath)).toEqual(['/Mirror/photos/p2.jpg']);

  // A renamed folder: its old copy goes, its contents arrive once under the new name.
  const photos = await d.stat('/Sync/photos');
  const f = drive.store.files.get(photos.id)!;
  f.name = 'pictures';
  drive.store.record(f.id, false);
  dropbox.counters.reset();
  const third = await runSync(source, destination, mirror, syncId, second.result!.cursor!);
  expect(third.result?.status).toBe('completed');
  expect(third.result?.progress).toMatchObject({ filesCopied: 3, filesDeleted: 3 });
  expect(uploads()).toBe(3);
  await expect(b.stat('/Mirror/photos')).rejects.toMatchObject({ kind: 'not_found' });
  expect((await b.list('/Mirror/pictures')).entries.map((e) => e.name).sort()).toEqual([
    'p0.jpg',
    'p1.jpg',
    'p3.jpg',
  ]);

  // A cursor Drive no longer knows: a full comparison, which finds nothing to copy.
  dropbox.counters.reset();
  const fourth = await runSync(source, destination, mirror, syncId, 'expired-token');
  expect(fourth.result?.status).toBe('completed');
  expect(fourth.result?.progress).toMatchObject({ filesCopied: 0, filesSkipped: 9, filesDeleted: 0 });
  expect(uploads()).toBe(0);
  expect(reads).toEqual([]);
});

describe('local → local', () => {
  let srcRoot: string;
  let dstRoot: string;
  let source: MigrationEndpoint;
  let destination: MigrationEndpoint;
  const write = (root: string, rel: string, s: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), s);
  };

  beforeEach(async () => {
    srcRoot = fs.mkdtempSync(path.join(tmp, 'src-'));
    dstRoot = fs.mkdtempSync(path.join(tmp, 'dst-'));
    for (let i = 0; i < 6; i++) write(srcRoot, `a/f${i}.txt`, `file ${i}`);
    write(srcRoot, 'b/g.txt', 'g');
    source = { connectionId: (await localConnection(srcRoot)).id, service: 'local', path: '/' };
    destination = { connectionId: (await localConnection(dstRoot)).id, service: 'local', path: '/' };
  });

  it('compares: unchanged files are skipped unread, changed ones copied; mirror mode deletes extras but not excluded ones', async () => {
    const syncId = `sync_${randomBase62(12)}`;
    const first = await runSync(source, destination, {}, syncId, null);
    expect(first.result?.progress).toMatchObject({ filesCopied: 7, filesSkipped: 0 });
    expect(first.result?.cursor).toBeNull();

    write(srcRoot, 'a/f3.txt', 'file 3, longer now');
    write(dstRoot, 'a/extra.txt', 'only here');
    write(dstRoot, 'c/old.txt', 'only here too');
    write(dstRoot, 'keep.log', 'excluded');
    const second = await runSync(
      source,
      destination,
      { deleteExtraneous: true, exclude: ['*.log'] },
      syncId,
      null,
    );
    expect(second.result?.status).toBe('completed');
    expect(second.result?.progress).toMatchObject({ filesCopied: 1, filesSkipped: 6, filesDeleted: 2 });
    expect(reads).toEqual(['/a/f3.txt']);
    expect(fs.readFileSync(path.join(dstRoot, 'a/f3.txt'), 'utf8')).toBe('file 3, longer now');
    expect(fs.existsSync(path.join(dstRoot, 'a/extra.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dstRoot, 'c'))).toBe(false);
    expect(fs.existsSync(path.join(dstRoot, 'keep.log'))).toBe(true);
  });

  it('max_delete: over the limit the run deletes nothing and fails naming the count and the limit', async () => {
    const syncId = `sync_${randomBase62(12)}`;
    await runSync(source, destination, {}, syncId, null);
    for (const n of ['x', 'y', 'z']) write(dstRoot, `a/${n}.txt`, n);
    const refused = await runSync(
      source,
      destination,
      { deleteExtraneous: true, maxDelete: { count: 2 } },
      syncId,
      null,
    );
    expect(refused.failure).toMatch(
      /max_delete: this run would delete 3 files .*limit of 2.*nothing was deleted/,
    );
    expect(fs.readdirSync(path.join(dstRoot, 'a')).sort()).toEqual([
      'f0.txt',
      'f1.txt',
      'f2.txt',
      'f3.txt',
      'f4.txt',
      'f5.txt',
      'x.txt',
      'y.txt',
      'z.txt',
    ]);
    const stored = await store.migrations.get(account.id, refused.migrationId);
    expect(stored?.status).toBe('failed');

    const percent = await runSync(
      source,
      destination,
      { deleteExtraneous: true, maxDelete: { percent: 50 } },
      syncId,
      null,
    );
    expect(percent.result?.progress).toMatchObject({ filesDeleted: 3 });
  });
});
