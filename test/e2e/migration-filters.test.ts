// The migration options that decide what is copied and how, through the API with a real worker on the
// real dev server: include/exclude (the exact files that arrive; excluded folders neither listed nor
// created), conflict rename and newer, dry_run (the plan, nothing written) and preserve_modified_time
// into a local folder and into the Google Drive emulator.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { openConnector } from '../../connectors';
import type { Connector } from '../../connectors/types';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import { walk, writeTree } from '../helpers/tree';

let drive: GoogleDriveEmulator;
let api: TestApi;
let alice: TestAccount;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
/** Folders the worker listed, as "<connection id>:<path>". */
const listed: string[] = [];

beforeAll(async () => {
  drive = await startGoogleDriveEmulator();
  const key = generateEncryptionKey();
  api = await createTestApi({
    env: {
      MIGRATECLOUDS_ENCRYPTION_KEY: key,
      GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
      GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
      GOOGLE_DRIVE_API_URL: drive.url,
      GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
    },
  });
  const box = createSecretBox(key);
  const activities = createActivities({
    store: api.store,
    connectorFactory: async (c) =>
      recordingLists(
        await openConnector(c, { credentials: api.store.connections, config: api.config, box }),
        c.id,
      ),
    fileConcurrency: 4,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, api.taskQueue));
  workerRun = worker.run();
  alice = await api.account('enterprise', 'Alice');
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
  await closeTemporal();
  await drive?.close();
});

/** The same connector, noting each folder it lists (an observer: every call goes through). */
function recordingLists(c: Connector, id: string): Connector {
  return new Proxy(c, {
    get(target, key) {
      if (key === 'list') {
        return (p: string, o?: Parameters<Connector['list']>[1]) => {
          listed.push(`${id}:${p}`);
          return target.list(p, o);
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function connectLocal(name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

async function connectDrive(): Promise<string> {
  const grant = (await (await fetch(`${drive.url}/_emulator/tokens/grant`, { method: 'POST' })).json()) as {
    refresh_token: string;
  };
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'google_drive', name: 'Drive', refresh_token: grant.refresh_token });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

type Migration = {
  id: string;
  status: string;
  error: string | null;
  progress: Record<string, number | boolean>;
};

async function migrate(
  src: string,
  dst: string,
  to: string,
  options: Record<string, unknown>,
  from = '/',
): Promise<Migration> {
  const started = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: src, path: from },
      destination: { connection_id: dst, path: to },
      options,
    });
  expect(started.status).toBe(202);
  const id = started.body.data.id as string;
  for (const deadline = Date.now() + 60_000; ;) {
    const res = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
    const m = res.body.data as Migration;
    if (!['pending', 'running', 'paused'].includes(m.status)) return m;
    if (Date.now() > deadline) throw new Error(`migration ${id} still ${m.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function items(
  id: string,
  status: string,
): Promise<{ path: string; destination_path: string; reason: string | null }[]> {
  const res = await request(api.app).get(`/v1/migrations/${id}/items?status=${status}`).set(alice.auth);
  expect(res.status).toBe(200);
  return res.body.data.items;
}

function put(root: string, files: Record<string, string>, modifiedAt?: string): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (modifiedAt) fs.utimesSync(file, new Date(modifiedAt), new Date(modifiedAt));
  }
}

/** Files under `root` with their contents, by relative path. */
function contents(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of walk(root))
    if (e.type === 'file') out[e.rel] = fs.readFileSync(path.join(root, e.rel), 'utf8');
  return out;
}

const sum = (files: Record<string, string>) =>
  Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0);

it('include/exclude: exactly the matching files arrive; excluded folders are neither listed nor created', async () => {
  const src = await connectLocal('filter-src');
  const dst = await connectLocal('filter-dst');
  const wanted = {
    'b.jpg': 'b',
    'photos/1.jpg': 'one',
    'photos/2020/2.jpg': 'two!',
    'docs/r.md': 'read me',
  };
  put(src.root, {
    ...wanted,
    'a.txt': 'not included',
    'x/b.jpg': 'not included: "/b.jpg" is anchored',
    'photos/1-draft.jpg': 'excluded by name',
    'photos/1.raw': 'not included',
    'node_modules/m/x.jpg': 'nothing here can be included',
    'photos/node_modules/y.jpg': 'excluded folder at any depth',
    'photos/tmp/t.jpg': 'excluded folder',
    'docs/cache/c.jpg': 'excluded folder inside an included one',
    'notes/n.txt': 'nothing here can be included',
  });
  const m = await migrate(src.id, dst.id, '/filtered', {
    include: ['/b.jpg', 'photos/**/*.jpg', '/docs'],
    exclude: ['node_modules', 'photos/tmp/', '*-draft.jpg', '/docs/cache/'],
  });
  expect({ status: m.status, error: m.error }).toEqual({ status: 'completed', error: null });
  expect(m.progress).toMatchObject({
    files_discovered: 4,
    bytes_discovered: sum(wanted),
    folders_discovered: 3,
    files_copied: 4,
    files_skipped: 0,
  });
  const out = path.join(dst.root, 'filtered');
  expect(contents(out)).toEqual(wanted);
  expect(
    [...walk(out)]
      .filter((e) => e.type === 'folder')
      .map((e) => e.rel)
      .sort(),
  ).toEqual(['docs', 'photos', 'photos/2020']);
  expect(
    listed
      .filter((l) => l.startsWith(`${src.id}:`))
      .map((l) => l.slice(src.id.length + 1))
      .sort(),
  ).toEqual(['/', '/docs', '/photos', '/photos/2020']);
});

it('a pattern built to stall a backtracking matcher: taken at the cap, matched at once, listed under a heartbeat timeout', async () => {
  const src = await connectLocal('hostile-src');
  const dst = await connectLocal('hostile-dst');
  // 255 characters, the most local file systems take; "*a" 32 times would backtrack for ever on it.
  const long = `${'a'.repeat(250)}b.txt`;
  const excluded = 'a'.repeat(255);
  put(src.root, { [long]: 'long', [excluded]: 'ends with a', 'a.txt': 'short' });
  const m = await migrate(src.id, dst.id, '/hostile', { exclude: ['*a'.repeat(32)] });
  expect({ status: m.status, error: m.error }).toEqual({ status: 'completed', error: null });
  expect(contents(path.join(dst.root, 'hostile'))).toEqual({ [long]: 'long', 'a.txt': 'short' });

  const history = await api.client.workflow.getHandle(`migration-${m.id}`).fetchHistory();
  const listing = (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a && ['inspectSource', 'exploreSource'].includes(a.activityType?.name ?? ''));
  expect(listing.length).toBeGreaterThanOrEqual(2);
  for (const a of listing) expect(Number(a!.heartbeatTimeout?.seconds)).toBe(30);
});

it('refuses an unparsable pattern, naming it', async () => {
  const res = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: 'conn_x', path: '/' },
      destination: { connection_id: 'conn_y', path: '/' },
      options: { include: ['*.jpg', 'ok/**', 'bad{'] },
    });
  const error = expectError(res, 400, 'invalid_parameter', /options\.include\[2\]/);
  expect(error.message).toMatch(/is not a valid pattern: a "\{" has no closing "\}"/);
  expectError(
    await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: 'conn_x', path: '/' },
        destination: { connection_id: 'conn_y', path: '/' },
        options: { exclude: ['[x'] },
      }),
    400,
    'invalid_parameter',
    /options\.exclude\[0\]/,
  );
});

it('conflict rename: copies beside existing files, and a second run adds no duplicate', async () => {
  const src = await connectLocal('rename-src');
  const dst = await connectLocal('rename-dst');
  put(src.root, { 'x.txt': 'source x', 'y.txt': 'source y', 'z.txt': 'new here' });
  put(dst.root, { 'in/x.txt': 'their x', 'in/y.txt': 'their y', 'in/y (1).txt': 'their y1' });
  const first = await migrate(src.id, dst.id, '/in', { conflict: 'rename' });
  expect(first.status).toBe('completed');
  expect(first.progress).toMatchObject({ files_copied: 3, files_skipped: 0 });
  const expected = {
    'x.txt': 'their x',
    'x (1).txt': 'source x',
    'y.txt': 'their y',
    'y (1).txt': 'their y1',
    'y (2).txt': 'source y',
    'z.txt': 'new here',
  };
  expect(contents(path.join(dst.root, 'in'))).toEqual(expected);
  const copied = await items(first.id, 'copied');
  expect(copied.map((i) => [i.path, i.destination_path]).sort()).toEqual([
    ['/x.txt', '/in/x (1).txt'],
    ['/y.txt', '/in/y (2).txt'],
    ['/z.txt', '/in/z.txt'],
  ]);

  const again = await migrate(src.id, dst.id, '/in', { conflict: 'rename' });
  expect(again.status).toBe('completed');
  expect(again.progress).toMatchObject({ files_copied: 0, files_skipped: 3 });
  expect(contents(path.join(dst.root, 'in'))).toEqual(expected);
  expect((await items(again.id, 'skipped')).map((i) => i.reason).sort()).toEqual([
    'An identical file is already at the destination: /in/x (1).txt (conflict: "rename")',
    'An identical file is already at the destination: /in/y (2).txt (conflict: "rename")',
    'An identical file is already at the destination: /in/z.txt (conflict: "rename")',
  ]);
});

it('conflict newer: only older destination files are replaced', async () => {
  const src = await connectLocal('newer-src');
  const dst = await connectLocal('newer-dst');
  put(src.root, { 'old.txt': 'old source' }, '2020-01-01T00:00:00Z');
  put(src.root, { 'new.txt': 'new source' }, '2024-06-01T00:00:00Z');
  put(src.root, { 'same.txt': 'same  size', 'grown.txt': 'grown source' }, '2022-01-01T00:00:00Z');
  put(dst.root, { 'old.txt': 'the newer destination' }, '2023-01-01T00:00:00Z');
  put(dst.root, { 'new.txt': 'the older destination' }, '2022-01-01T00:00:00Z');
  put(dst.root, { 'same.txt': 'equal size', 'grown.txt': 'grown' }, '2022-01-01T00:00:00Z');
  const m = await migrate(src.id, dst.id, '/', { conflict: 'newer' });
  expect(m.status).toBe('completed');
  expect(m.progress).toMatchObject({ files_copied: 2, files_skipped: 2 });
  expect(contents(dst.root)).toEqual({
    'old.txt': 'the newer destination',
    'new.txt': 'new source',
    'same.txt': 'equal size',
    'grown.txt': 'grown source',
  });
  expect((await items(m.id, 'skipped')).map((i) => [i.path, i.reason]).sort()).toEqual([
    [
      '/old.txt',
      expect.stringMatching(/^The destination's file is newer \(modified 2023-01-01T00:00:00\.000Z/),
    ],
    ['/same.txt', 'The destination\'s file has the same modification time and size (conflict: "newer")'],
  ]);
});

it('dry_run: lists and counts the plan, writes nothing', async () => {
  const src = await connectLocal('dry-src');
  const dst = await connectLocal('dry-dst');
  const tree = writeTree(src.root, { folders: 12, filesPerFolder: 5, depth: 3, maxBytes: 2_000 });
  put(src.root, { 'skip/me.tmp': 'excluded' });
  const m = await migrate(src.id, dst.id, '/plan', { dry_run: true, exclude: ['skip'] });
  expect({ status: m.status, error: m.error }).toEqual({ status: 'completed', error: null });
  expect(m.progress).toMatchObject({
    files_discovered: tree.files,
    bytes_discovered: tree.bytes,
    folders_discovered: tree.folders,
    files_copied: 0,
    bytes_copied: 0,
    files_skipped: 0,
    files_failed: 0,
    listing_complete: true,
  });
  expect(fs.readdirSync(dst.root)).toEqual([]);
  expect(await items(m.id, 'copied')).toEqual([]);
});

describe('preserve_modified_time', () => {
  const THEN = '2021-03-04T05:06:07.000Z';
  let src: { id: string; root: string };
  beforeAll(async () => {
    src = await connectLocal('mtime-src');
    put(src.root, { 'a.txt': 'aaa', 'sub/b.txt': 'bbbb' }, THEN);
  });

  it("gives local copies the source's modification time when on, the copy's time when off", async () => {
    const dst = await connectLocal('mtime-dst');
    const startedAt = Date.now() - 5_000;
    expect((await migrate(src.id, dst.id, '/on', { preserve_modified_time: true })).status).toBe('completed');
    expect((await migrate(src.id, dst.id, '/off', { preserve_modified_time: false })).status).toBe(
      'completed',
    );
    for (const f of ['a.txt', 'sub/b.txt']) {
      expect(fs.statSync(path.join(dst.root, 'on', f)).mtime.toISOString()).toBe(THEN);
      expect(fs.statSync(path.join(dst.root, 'off', f)).mtimeMs).toBeGreaterThan(startedAt);
    }
  });

  it('does the same into Google Drive', async () => {
    const driveId = await connectDrive();
    const startedAt = Date.now() - 5_000;
    expect((await migrate(src.id, driveId, '/on', { preserve_modified_time: true })).status).toBe(
      'completed',
    );
    expect((await migrate(src.id, driveId, '/off', { preserve_modified_time: false })).status).toBe(
      'completed',
    );
    const modifiedAt = async (p: string) => {
      const res = await request(api.app)
        .get('/v1/files/metadata')
        .set(alice.auth)
        .send({ connection_id: driveId, path: p });
      expect(res.status).toBe(200);
      return res.body.data.modified_at as string;
    };
    for (const f of ['a.txt', 'sub/b.txt']) {
      expect(await modifiedAt(`/on/${f}`)).toBe(THEN);
      expect(Date.parse(await modifiedAt(`/off/${f}`))).toBeGreaterThan(startedAt);
    }
  });
});
