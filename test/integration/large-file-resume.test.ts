// Large files survive everything but an explicit cancel. A real worker process (dist/worker/main.js)
// is stopped part-way through a 40 MiB file — with SIGKILL while it writes into OneDrive, Drive,
// Dropbox and a local folder, and with SIGTERM (a rolling deploy, its shutdown grace shorter than the
// copy) — and the next worker resumes the same upload session, or the same partial file, from the
// offset the last heartbeat carried: the destination receives little more than the rest of the file,
// and the file ends identical. A cancelled migration then gives its session (or partial file) up.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomBase62 } from '../../common/ids';
import { keyringFromSettings } from '../../common/keyring';
import { createPayloadCodec, isEncrypted } from '../../common/payload-codec';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { loadConfig } from '../../config';
import { openConnector, type Connector } from '../../connectors';
import type { UploadSession } from '../../connectors/cloud';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationEndpoint,
  type MigrationWorkflowInput,
  type ServiceName,
} from '../../contract';
import type { Counters } from '../../emulators/common/counters';
import type { Faults } from '../../emulators/common/faults';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import { emulatorConnection, emulatorEnv } from '../helpers/emulator-env';
import { partialFiles } from '../connectors/local-helpers';
import { connectTestClient } from '../helpers/temporal';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const TASK_QUEUE = `large-resume-${randomBase62(8)}`;
const MiB = 1024 * 1024;
const SIZE = 40 * MiB;
/** The largest piece a destination commits at once (OneDrive's 10 MiB fragment). */
const CHUNK = 10 * MiB;
const KEY = generateEncryptionKey();
const box = createSecretBox(KEY);
/** The worker's payload codec (it has KEY): heartbeat details reach Temporal encrypted. */
const codec = createPayloadCodec(keyringFromSettings({ MIGRATECLOUDS_ENCRYPTION_KEY: KEY })!);
let tmp: string;
let databaseUrl: string;
let store: Store;
let account: Account;
let drive: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
let dropbox: DropboxEmulator;
let env: Record<string, string>;
let client: Client;
let connection: Connection;
let worker: ChildProcess | undefined;

interface Emulator {
  url: string;
  faults: Faults;
  counters: Counters;
  uploadSessions: Map<string, unknown>;
}

/** Upload sessions not finished yet (Drive keeps finished ones, to answer a repeated last request). */
const openSessions = (emulator: Emulator): number =>
  [...emulator.uploadSessions.values()].filter((s) => !(s as { result?: unknown }).result).length;

const emulatorOf = (service: ServiceName): Emulator | undefined =>
  ({ google_drive: drive, onedrive, dropbox, local: undefined })[service];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      MIGRATECLOUDS_TASK_QUEUE: TASK_QUEUE,
      // A deploy that will not wait for a 40 MiB file: the copy is stopped a second after SIGTERM.
      WORKER_SHUTDOWN_GRACE_SECONDS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  worker = child;
  return child;
}

/** The running worker, or a new one. */
const liveWorker = (): ChildProcess =>
  worker && worker.exitCode === null && !worker.killed ? worker : startWorker();

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-large-')));
  databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  account = await store.accounts.create({ name: 'large', plan: 'pro' });
  // The worker keeps local connections inside the folders granted to their account.
  await store.localGrants.grant(account.id, fs.realpathSync(tmp));
  [drive, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  env = {
    ...emulatorEnv({ drive, onedrive, dropbox }),
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_ENCRYPTION_KEY: KEY,
  };
  ({ client, connection } = await connectTestClient({ MIGRATECLOUDS_ENCRYPTION_KEY: KEY }));
}, 300_000);

afterAll(async () => {
  worker?.kill('SIGKILL');
  await connection?.close();
  await store?.close();
  await Promise.all([drive?.close(), onedrive?.close(), dropbox?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy under way: where it reads from and writes to, and the connector to read the result. */
interface Run {
  handle: WorkflowHandle;
  migrationId: string;
  destination: Connector;
  /** The local destination's folder (for its partial files). */
  localRoot?: string;
  files: Record<string, Buffer>;
}

/**
 * Migrates `name` into the destination's `/name`, files from 16 MiB on copied alone as large. The
 * source is a local folder, or (into a local folder) a Drive folder, whose downloads the test paces.
 */
async function startRun(name: string, destination: ServiceName): Promise<Run> {
  const files = { 'big.bin': randomBytes(SIZE), 'a.txt': randomBytes(3_000), 'b.txt': randomBytes(5_000) };
  let source: MigrationEndpoint;
  if (destination === 'local') {
    const folder = drive.store.create({
      name,
      mimeType: 'application/vnd.google-apps.folder',
      parents: [drive.store.rootId],
    });
    for (const [file, content] of Object.entries(files)) {
      drive.store.create({ name: file, mimeType: 'application/octet-stream', parents: [folder.id], content });
    }
    const conn = await emulatorConnection(store, box, account.id, 'google_drive', drive.url);
    source = { connectionId: conn.id, service: 'google_drive', path: `/${name}` };
  } else {
    fs.mkdirSync(path.join(tmp, name));
    for (const [file, content] of Object.entries(files))
      fs.writeFileSync(path.join(tmp, name, file), content);
    const conn = await store.connections.create({
      accountId: account.id,
      service: 'local',
      name,
      config: { root: path.join(tmp, name) },
    });
    source = { connectionId: conn.id, service: 'local', path: '/' };
  }
  const localRoot = destination === 'local' ? fs.mkdtempSync(path.join(tmp, 'dst-')) : undefined;
  const dst =
    destination === 'local'
      ? await store.connections.create({
          accountId: account.id,
          service: 'local',
          name,
          config: { root: localRoot },
        })
      : await emulatorConnection(store, box, account.id, destination, emulatorOf(destination)!.url);
  const to: MigrationEndpoint = { connectionId: dst.id, service: destination, path: `/${name}` };
  const options = completeOptions({ conflict: 'skip', verify: 'checksum' });
  const migration = await store.migrations.create({
    accountId: account.id,
    source,
    destination: to,
    options,
  });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source,
    destination: to,
    options,
    tuning: { largeFileBytes: 16 * MiB },
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  const config = loadConfig(env);
  const connector = await openConnector(dst, { credentials: store.connections, config, box });
  return { handle, migrationId: migration.id, destination: connector, localRoot, files };
}

/** The upload session the large-file activity last heartbeated, as the server holds it. */
async function heartbeatedSession(handle: WorkflowHandle): Promise<UploadSession | null> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  for (const a of pending) {
    const payload = a.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    // The server holds only ciphertext: no upload URL (OneDrive's is pre-authenticated) in clear.
    expect(isEncrypted(payload)).toBe(true);
    expect(Buffer.from(payload.data ?? []).toString('latin1')).not.toMatch(/https?:|uploadUrl|session/i);
    const [clear] = await codec.decode([payload]);
    const details = defaultPayloadConverter.fromPayload<{ session?: UploadSession | null } | undefined>(
      clear!,
    );
    if (details?.session) return details.session;
  }
  return null;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function readAll(c: Connector, p: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await c.openRead(p)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Once a cloud destination has taken 15 MiB (the test slowed it from the start), holds every request
 * not yet answered: the stop lands mid-file however slow the machine, where a destination that kept
 * answering could take the rest of the file between the heartbeat the test reads and the signal.
 */
async function holdPast15MiB(emulator: Emulator): Promise<void> {
  await until('15 MiB at the destination', async () => emulator.counters.bytesIn >= 15 * MiB);
  emulator.faults.update({ latencyMs: 600_000 });
}

/**
 * The heartbeated session once it is past 15 MiB; with the destination held, once it has also not
 * moved for three seconds (a request under way at the hold has landed, and its heartbeat has arrived).
 */
async function pastChunk(handle: WorkflowHandle, held: boolean): Promise<UploadSession> {
  let last = -1;
  let since = Date.now();
  return until('a heartbeated session past 15 MiB', async () => {
    const s = await heartbeatedSession(handle);
    if (!s || s.offset < 15 * MiB) return null;
    if (s.offset !== last) [last, since] = [s.offset, Date.now()];
    return (!held || Date.now() - since >= 3_000) && s;
  });
}

/** Slows the copy so that the stop lands mid-file: the destination's answers, or the source's downloads. */
function slowDown(destination: ServiceName, on: boolean): void {
  const emulator = emulatorOf(destination);
  if (!emulator) drive.faults.update({ downloadBytesPerSecond: on ? 4 * MiB : 0 });
  else emulator.faults.update({ latencyMs: on ? 1_500 : 0 });
  if (on) (emulator ?? drive).counters.reset();
}

const SCENARIOS: [ServiceName, 'SIGKILL' | 'SIGTERM'][] = [
  ['onedrive', 'SIGKILL'],
  ['google_drive', 'SIGKILL'],
  ['dropbox', 'SIGKILL'],
  ['local', 'SIGKILL'],
  ['onedrive', 'SIGTERM'],
  ['local', 'SIGTERM'],
];

it.each(SCENARIOS)(
  'a large file into %s resumes mid-file after the worker gets %s',
  async (destination, signal) => {
    const name = `${destination}-${signal}`.toLowerCase();
    const first = liveWorker();
    slowDown(destination, true);
    const run = await startRun(name, destination);
    const emulator = emulatorOf(destination);
    if (emulator) await holdPast15MiB(emulator);
    // Stopped once at least a chunk is committed and heartbeated, well before the end.
    const session = await pastChunk(run.handle, emulator !== undefined);
    expect(session).toMatchObject({ service: destination, size: SIZE });
    const partialIno = run.localRoot ? partialInode(run.localRoot) : undefined;
    first.kill(signal);
    await once(first, 'exit');
    // What the stopped worker committed last is where the next one starts.
    const from = (await heartbeatedSession(run.handle))!.offset;
    expect(from).toBeLessThan(SIZE);
    if (emulator) expect(openSessions(emulator)).toBe(1);
    slowDown(destination, false);
    const counters = (emulator ?? drive).counters;
    counters.reset();

    startWorker();
    const result = await run.handle.result();
    expect(result.status).toBe('completed');
    const { filesCopied, filesSkipped, filesFailed } = result.progress;
    expect({ done: filesCopied + filesSkipped, filesFailed }).toEqual({ done: 3, filesFailed: 0 });

    // Resumed, not restarted: after the restart the destination received about the rest of the file
    // (into a local folder: the source was read from the committed offset on).
    const moved = emulator ? counters.snapshot().bytes_in : counters.snapshot().bytes_out;
    expect(moved).toBeGreaterThanOrEqual(SIZE - from);
    expect(moved).toBeLessThanOrEqual(SIZE - from + CHUNK + 64 * 1024);
    expect(moved).toBeLessThan(0.75 * SIZE);
    if (run.localRoot) {
      // The partial file the first worker wrote is the one that took the name.
      expect(fs.statSync(path.join(run.localRoot, name, 'big.bin')).ino).toBe(partialIno);
      expect(partialFiles(run.localRoot)).toEqual([]);
    } else {
      expect(openSessions(emulator!)).toBe(0);
    }
    for (const [file, content] of Object.entries(run.files)) {
      expect((await readAll(run.destination, `/${name}/${file}`)).equals(content)).toBe(true);
    }
    expect((await store.migrations.get(account.id, run.migrationId))?.status).toBe('completed');
  },
);

function partialInode(root: string): number {
  const [partial] = partialFiles(root);
  if (!partial) throw new Error('No partial file in the local destination');
  return fs.statSync(path.join(root, partial)).ino;
}

it.each(['onedrive', 'local'] as const)(
  'a cancelled migration gives up its large upload into %s',
  async (destination) => {
    liveWorker();
    const name = `cancel-${destination}`;
    slowDown(destination, true);
    const run = await startRun(name, destination);
    const emulator = emulatorOf(destination);
    await until('committed bytes', async () => ((await heartbeatedSession(run.handle))?.offset ?? 0) > 0);
    await run.handle.cancel();
    await expect(run.handle.result()).rejects.toThrow();
    slowDown(destination, false);

    if (emulator) {
      expect(onedrive.counters.snapshot().requests['DELETE /_upload/{id}']).toBe(1);
      expect(openSessions(emulator)).toBe(0);
    } else {
      expect(partialFiles(run.localRoot!)).toEqual([]);
    }
    await expect(run.destination.stat(`/${name}/big.bin`)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await store.migrations.get(account.id, run.migrationId))?.status).toBe('cancelled');
  },
);
