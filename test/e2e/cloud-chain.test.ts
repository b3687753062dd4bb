// The cloud connectors end to end through the REST API: one seeded Google Drive tree (thousands of
// files, nested folders, large files, Unicode and OneDrive-forbidden names, Google Docs) travels
// Drive → OneDrive → Dropbox → local, each hop a migration started over HTTP and run by a real worker
// on the real dev server; access tokens expire mid-migration and are refreshed. At the end every byte
// on the local disk is compared with what was seeded.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { generateEncryptionKey, createSecretBox } from '../../common/secret-box';
import { openConnector } from '../../connectors';
import { encodeName } from '../../connectors/names';
import { seedContent } from '../../emulators/common/seed';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { exportContent } from '../../emulators/google-drive/natives';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { createTestWorker } from '../helpers/temporal';
import { walk } from '../helpers/tree';

const FILES = 2_000;
const LARGE = [9 * 1024 * 1024 + 5, 17 * 1024 * 1024 + 3];
const EXPORT_EXTENSION: Record<string, string> = {
  'application/vnd.google-apps.document': 'docx',
  'application/vnd.google-apps.spreadsheet': 'xlsx',
  'application/vnd.google-apps.presentation': 'pptx',
};
const EXPORT_MIME: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

let drive: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
let dropbox: DropboxEmulator;
let api: TestApi;
let alice: TestAccount;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;

beforeAll(async () => {
  [drive, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  const key = generateEncryptionKey();
  api = await createTestApi({
    env: {
      MIGRATECLOUDS_ENCRYPTION_KEY: key,
      GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
      GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
      GOOGLE_DRIVE_API_URL: drive.url,
      GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
      ONEDRIVE_CLIENT_ID: onedrive.defaultClient.clientId,
      ONEDRIVE_CLIENT_SECRET: onedrive.defaultClient.clientSecret,
      ONEDRIVE_API_URL: `${onedrive.url}/v1.0`,
      ONEDRIVE_TOKEN_URL: `${onedrive.url}/common/oauth2/v2.0/token`,
      DROPBOX_CLIENT_ID: dropbox.defaultClient.clientId,
      DROPBOX_CLIENT_SECRET: dropbox.defaultClient.clientSecret,
      DROPBOX_API_URL: dropbox.url,
      DROPBOX_CONTENT_URL: dropbox.url,
      DROPBOX_TOKEN_URL: `${dropbox.url}/oauth2/token`,
    },
  });
  const box = createSecretBox(key);
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) =>
      openConnector(c, { credentials: api.store.connections, config: api.config, box }),
    fileConcurrency: 8,
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
  await Promise.all([drive?.close(), onedrive?.close(), dropbox?.close()]);
});

/** Connects a cloud service over the API with a refresh token from the emulator's consent stand-in. */
async function connectCloud(service: string, emulatorUrl: string): Promise<string> {
  const grant = (await (await fetch(`${emulatorUrl}/_emulator/tokens/grant`, { method: 'POST' })).json()) as {
    refresh_token: string;
  };
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service, name: `Alice's ${service}`, refresh_token: grant.refresh_token });
  expect({ status: res.status, body: JSON.stringify(res.body).includes(grant.refresh_token) }).toEqual({
    status: 201,
    body: false,
  });
  return res.body.data.id as string;
}

async function connectLocal(): Promise<string> {
  const root = path.join(api.root, 'final');
  fs.mkdirSync(root);
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', config: { root } });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

async function migrate(
  source: { connection_id: string; path: string },
  destination: { connection_id: string; path: string },
  options: Record<string, unknown>,
  whileRunning?: (progress: { files_copied: number }) => Promise<void>,
) {
  const started = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({ source, destination, options });
  expect(started.status).toBe(202);
  const id = started.body.data.id as string;
  const t0 = Date.now();
  const deadline = Date.now() + 240_000;
  for (;;) {
    const res = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
    expect(res.status).toBe(200);
    const m = res.body.data;
    if (!['pending', 'running', 'paused'].includes(m.status)) {
      if (process.env.MC_TEST_TIMINGS)
        console.log(`${source.path} → ${destination.path}: ${Date.now() - t0} ms`);
      return m;
    }
    await whileRunning?.(m.progress);
    if (Date.now() > deadline) throw new Error(`migration ${id} is still ${m.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const encodePath = (p: string) =>
  p
    .split('/')
    .map((s) => (s ? encodeName('onedrive', s) : s))
    .join('/');

it('carries a seeded Drive tree to OneDrive, Dropbox and the local disk with every byte equal', async () => {
  const seeded = drive.seed({
    seed: 2026,
    files: FILES,
    folders: 120,
    maxDepth: 4,
    maxSize: 48_000,
    awkwardNames: true,
    natives: true,
  });
  const files = seeded.entries.filter((e) => e.type === 'file');
  const large = LARGE.map((size, i) => {
    const p = `/Videos/clip ${i + 1} — 🎬.mp4`;
    return { path: p, size };
  });
  const videos = drive.store.create({
    name: 'Videos',
    mimeType: 'application/vnd.google-apps.folder',
    parents: [drive.store.rootId],
  });
  for (const f of large) {
    drive.store.create({
      name: path.posix.basename(f.path),
      mimeType: 'video/mp4',
      parents: [videos.id],
      content: seedContent(f.path, f.size),
    });
  }
  const exportable = seeded.natives.filter((n) => n.exportSize <= 10 * 1024 * 1024);
  expect(exportable).toHaveLength(3);
  expect(files.some((f) => /[:?*\\]/.test(f.path))).toBe(true);

  const driveId = await connectCloud('google_drive', drive.url);
  const onedriveId = await connectCloud('onedrive', onedrive.url);
  const dropboxId = await connectCloud('dropbox', dropbox.url);
  const localId = await connectLocal();

  // Hop 1, Drive → OneDrive: forbidden names encoded, Google Docs exported. Halfway, every access
  // token dies; both connectors must refresh and carry on.
  let expired = false;
  const sealed = () =>
    Promise.all([driveId, onedriveId].map((id) => api.store.connections.readSecrets(alice.id, id)));
  const sealedBefore = await sealed();
  const hop1 = await migrate(
    { connection_id: driveId, path: '/' },
    { connection_id: onedriveId, path: '/From Drive' },
    { invalid_names: 'encode' },
    async (progress) => {
      if (!expired && progress.files_copied > 200) {
        expired = true;
        drive.tokens.expireAll();
        onedrive.tokens.expireAll();
      }
    },
  );
  expect(expired).toBe(true);
  // Both refreshed, and the new tokens were sealed and stored again.
  const sealedAfter = await sealed();
  expect(sealedAfter.map((s, i) => s !== sealedBefore[i])).toEqual([true, true]);
  const copied = files.length + large.length + exportable.length;
  expect(hop1).toMatchObject({
    status: 'completed_with_errors',
    progress: { files_copied: copied, files_failed: 1 },
  });
  expect(hop1.error).toMatch(/Huge report/);

  // Hops 2 and 3 carry what arrived.
  const hop2 = await migrate(
    { connection_id: onedriveId, path: '/From Drive' },
    { connection_id: dropboxId, path: '/Via OneDrive' },
    {},
  );
  expect(hop2).toMatchObject({ status: 'completed', progress: { files_copied: copied, files_failed: 0 } });
  const hop3 = await migrate(
    { connection_id: dropboxId, path: '/Via OneDrive' },
    { connection_id: localId, path: '/' },
    {},
  );
  expect(hop3).toMatchObject({ status: 'completed', progress: { files_copied: copied, files_failed: 0 } });

  // Every byte, compared with what was seeded (or with what Drive's export produced).
  const root = path.join(api.root, 'final');
  const expected = new Map<string, Buffer>();
  for (const f of [...files, ...large]) expected.set(encodePath(f.path), seedContent(f.path, f.size));
  for (const n of exportable) {
    const ext = EXPORT_EXTENSION[n.mimeType]!;
    expected.set(`${n.path}.${ext}`, exportContent(drive.store.get(n.id)!, EXPORT_MIME[ext]!));
  }
  const found = [...walk(root)].filter((e) => e.type === 'file').map((e) => `/${e.rel}`);
  expect(found.sort()).toEqual([...expected.keys()].sort());
  const unequal = [...expected].filter(([p, bytes]) => !fs.readFileSync(path.join(root, p)).equals(bytes));
  expect(unequal.map(([p]) => p)).toEqual([]);
}, 600_000);
