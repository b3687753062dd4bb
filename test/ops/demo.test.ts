// Demo mode for real: the three emulators with the demo samples on random ports, the demo connections
// made twice in a real SQLite store (ids stable, secrets sealed, tokens the emulators accept), a
// restart of the emulators (old tokens dead, renewed ones working), and a port already in use.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import type { ServiceName } from '../../contract';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { openConnector, type Connector, type FileEntry, type OAuthTokens } from '../../connectors';
import { seedContent } from '../../emulators/common/seed';
import { isDemoMode, startDemoEmulators, type DemoEmulators } from '../../scripts/lib/demo';
import { demoBannerLines } from '../../scripts/lib/demo-banner';
import { ensureDemoConnections, type DemoConnection } from '../../scripts/lib/demo-connections';
import { createStore } from '../../store';
import type { Store } from '../../store/types';
import { freePort } from '../helpers/supervisor';

const RANDOM_PORTS = { google_drive: 0, onedrive: 0, dropbox: 0 };
const key = generateEncryptionKey();
const box = createSecretBox(key);
let dir: string;
let store: Store;
let accountId: string;
let demo: DemoEmulators | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-demo-'));
  store = await createStore(`sqlite:${path.join(dir, 'store.db')}`);
  accountId = (await store.accounts.create({ name: 'Development', plan: 'enterprise' })).id;
});

afterAll(async () => {
  await demo?.close();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ensure = (d: DemoEmulators) => ensureDemoConnections(store, { accountId, box, emulators: d.emulators });

async function open(d: DemoEmulators, connection: DemoConnection): Promise<Connector> {
  const config = loadConfig({ ...d.env, MIGRATECLOUDS_ENCRYPTION_KEY: key });
  const stored = { id: connection.id, accountId, service: connection.service, config: { demo: true } };
  return openConnector(stored, { credentials: store.connections, config, box });
}

async function listAll(connector: Connector): Promise<FileEntry[]> {
  const all: FileEntry[] = [];
  let pageToken: string | null = null;
  do {
    const page = await connector.list('/', { recursive: true, pageSize: 1000, pageToken });
    all.push(...page.entries);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

async function sealedTokens(id: string): Promise<OAuthTokens> {
  const sealed = (await store.connections.readSecrets(accountId, id)) as string;
  return JSON.parse(box.open(sealed, id)) as OAuthTokens;
}

const byService = (cs: DemoConnection[], service: ServiceName) => cs.find((c) => c.service === service)!;

it('seeds the samples, connects once, renews on later starts, and survives an emulator restart', async () => {
  demo = await startDemoEmulators({ ports: RANDOM_PORTS });
  demo.seed();
  const first = await ensure(demo);
  expect(first.map((c) => [c.service, c.name, c.outcome])).toEqual([
    ['google_drive', 'Demo Google Drive', 'created'],
    ['onedrive', 'Demo OneDrive', 'created'],
    ['dropbox', 'Demo Dropbox', 'created'],
  ]);

  // Secrets are sealed (no token in the column) and bound to their connection.
  for (const c of first) {
    const sealed = (await store.connections.readSecrets(accountId, c.id)) as string;
    const tokens = await sealedTokens(c.id);
    expect(tokens.refreshToken).toMatch(/^rt\./);
    expect(sealed).not.toContain(tokens.refreshToken);
    expect(sealed).not.toContain(tokens.accessToken);
    const other = first.find((o) => o.id !== c.id)!;
    expect(() => box.open(sealed, other.id)).toThrow();
  }

  // The Drive sample, read through the real connector with the sealed tokens.
  const drive = await listAll(await open(demo, byService(first, 'google_drive')));
  const driveSample = demo.emulators[0].sample;
  const files = drive.filter((e) => e.type === 'file');
  const docs = files.filter((e) => e.export);
  expect(files).toHaveLength(driveSample.files + 3);
  expect(driveSample.files).toBeGreaterThanOrEqual(250);
  expect(drive.filter((e) => e.type === 'folder').length).toBeGreaterThanOrEqual(20);
  expect(docs.map((d) => d.export?.extension).sort()).toEqual(['docx', 'docx', 'xlsx']);
  const sizes = files.filter((e) => !e.export).map((e) => e.size ?? 0);
  expect(sizes.filter((s) => s >= 20 * 1024 * 1024)).toHaveLength(1);
  expect(sizes.filter((s) => s > 4 * 1024 * 1024)).toHaveLength(1);
  expect(Math.max(...drive.map((e) => e.path.split('/').length - 1))).toBeGreaterThanOrEqual(4);
  expect(drive.some((e) => /[^ -~]/.test(e.name))).toBe(true);
  expect(drive.filter((e) => e.name.includes(' ')).length).toBeGreaterThan(50);
  const small = files.find((e) => !e.export && (e.size ?? 0) < 100_000)!;
  expect(await readAll(await open(demo, byService(first, 'google_drive')), small.path)).toEqual(
    seedContent(small.path, small.size!),
  );

  // OneDrive smaller, Dropbox nearly empty — all of each sample present.
  const onedrive = await listAll(await open(demo, byService(first, 'onedrive')));
  expect(onedrive.filter((e) => e.type === 'file')).toHaveLength(demo.emulators[1].sample.files);
  expect(demo.emulators[1].sample.files).toBeLessThan(driveSample.files / 3);
  const dropbox = await listAll(await open(demo, byService(first, 'dropbox')));
  expect(dropbox.map((e) => e.path)).toEqual(['/Get Started with Dropbox.pdf']);

  // A later start with the same emulators: same ids, fresh tokens, status back to active.
  await store.connections.setStatus(accountId, first[0].id, 'needs_reauth');
  const before = await sealedTokens(first[0].id);
  const second = await ensure(demo);
  expect(second.map((c) => [c.id, c.outcome])).toEqual(first.map((c) => [c.id, 'renewed']));
  expect((await sealedTokens(first[0].id)).refreshToken).not.toBe(before.refreshToken);
  expect((await store.connections.get(accountId, first[0].id))?.status).toBe('active');
  expect((await store.connections.list(accountId, { pageSize: 100 })).items).toHaveLength(3);

  // The emulators restart (left unseeded, to save the seconds of generating the samples again): the old
  // refresh tokens die with them, the renewed ones work.
  const oldTokens = await sealedTokens(byService(first, 'dropbox').id);
  await demo.close();
  demo = await startDemoEmulators({ ports: RANDOM_PORTS });
  const refused = await fetch(
    `${demo.emulators[2].url}/oauth2/token?grant_type=refresh_token&refresh_token=${oldTokens.refreshToken}` +
      `&client_id=${demo.env.DROPBOX_CLIENT_ID}&client_secret=${demo.env.DROPBOX_CLIENT_SECRET}`,
    { method: 'POST' },
  );
  expect(refused.status).toBe(400);
  const third = await ensure(demo);
  expect(third.map((c) => [c.id, c.outcome])).toEqual(first.map((c) => [c.id, 'renewed']));
  for (const c of third) expect((await (await open(demo, c)).list('/')).entries).toEqual([]);
});

it('fails naming the port when one is taken, and leaves no emulator behind', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  const [drivePort, onedrivePort] = [await freePort(), await freePort()];
  try {
    await expect(
      startDemoEmulators({ ports: { google_drive: drivePort, onedrive: onedrivePort, dropbox: taken } }),
    ).rejects.toThrow(`port ${taken} for the Dropbox v2 emulator is already in use`);
    // The two emulators started before it were closed again.
    for (const port of [drivePort, onedrivePort]) await expect(listenOnce(port)).resolves.toBeUndefined();
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

it('is on with --demo or MIGRATECLOUDS_DEMO, and the banner carries ready-to-paste commands', () => {
  expect(isDemoMode(['--demo'], loadConfig({}))).toBe(true);
  expect(isDemoMode([], loadConfig({ MIGRATECLOUDS_DEMO: '1' }))).toBe(true);
  expect(isDemoMode([], loadConfig({}))).toBe(false);

  const connections: DemoConnection[] = [
    { id: 'conn_D', service: 'google_drive', name: 'Demo Google Drive', outcome: 'created' },
    { id: 'conn_X', service: 'dropbox', name: 'Demo Dropbox', outcome: 'created' },
  ];
  const sample = { files: 1, folders: 0, bytes: 1, documents: 0 };
  const emulators = [
    { service: 'google_drive' as const, label: 'Google Drive v3', url: 'http://127.0.0.1:4101', sample },
    { service: 'dropbox' as const, label: 'Dropbox v2', url: 'http://127.0.0.1:4103', sample },
  ];
  const text = demoBannerLines('http://localhost:3000', 'mc_KEY', emulators as never, connections).join('\n');
  expect(text).toContain('"Demo Google Drive"  conn_D   emulator http://127.0.0.1:4101');
  expect(text).toContain(
    'curl -H "Authorization: Bearer mc_KEY" "http://localhost:3000/v1/files/list?connection_id=conn_D&path=/"',
  );
  const body = /-d '(.+)'/.exec(text)![1];
  expect(JSON.parse(body)).toEqual({
    source: { connection_id: 'conn_D', path: '/' },
    destination: { connection_id: 'conn_X', path: '/From Google Drive' },
  });
});

async function readAll(connector: Connector, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await connector.openRead(file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Listens on the port and closes again; resolves undefined for a fixed port, the port for port 0. */
function listenOnce(port: number): Promise<number | undefined> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port === 0 ? actual : undefined));
    });
  });
}
