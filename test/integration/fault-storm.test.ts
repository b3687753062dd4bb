// Fault tolerance end to end: one Google Drive tree (a couple of hundred small files in nested
// folders and a few files above the large-file threshold, tuned small) is migrated at the same time
// to OneDrive, Dropbox and a second Google Drive, on the real dev server with a real worker, while
// every emulator throttles (429 with Retry-After, Drive's 403 userRateLimitExceeded, forced storms
// and a rate limit below the connections' budgets), answers random 5xx, resets connections in the
// middle of downloads and uploads, and carries out changes whose answer it then loses. Each migration
// must end `completed` with no failed file, every byte equal, exactly one item per file (all
// `copied`) and, on Drive, no name twice in a folder; and every kind of fault must really have
// happened (the emulators' counters).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection as TemporalConnection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { CloudConnectorOptions, OAuthTokens } from '../../connectors/cloud';
import { budgetGate } from '../../connectors/budgeted';
import { createMemoryBudgets } from '../../connectors/budget';
import { createDropboxConnector } from '../../connectors/dropbox';
import { createGoogleDriveConnector } from '../../connectors/google-drive';
import { createOneDriveConnector } from '../../connectors/onedrive';
import type { Connector } from '../../connectors/types';
import { newId, randomBase62 } from '../../common/ids';
import type { FaultSettings } from '../../emulators/common/faults';
import { startDropboxEmulator, type DropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { startOneDriveEmulator, type OneDriveEmulator } from '../../emulators/onedrive';
import { createStore } from '../../store';
import type { Account, Connection, MigrationItem, Store } from '../../store/types';
import {
  asMap,
  driveTree,
  dropboxTree,
  duplicatePaths,
  oneDriveTree,
  type TreeEntry,
} from '../helpers/emulator-trees';
import { connectTestClient, createTestWorker } from '../helpers/temporal';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
} from '../../contract';

jest.setTimeout(120_000);

const KiB = 1024;
const SMALL_FILES = 100;
const LARGE = [
  { folder: 0, size: 1300 * KiB },
  { folder: 3, size: 1100 * KiB },
  { folder: 6, size: 900 * KiB },
];
/** Files from this size get an activity of their own (and a resumable upload session). */
const LARGE_FILE_BYTES = 800 * KiB;
/** Each connection's request budget, above the emulators' own limit: they throttle. */
const BUDGET_PER_SECOND = 200;
const TASK_QUEUE = `fault-storm-${randomBase62(8)}`;

/** Storms first (forced), then a rate limit, random 5xx, resets both ways and lost answers. */
const FAULTS: Partial<FaultSettings> = {
  throttleNext: 3,
  rateLimitPerSecond: 60,
  retryAfterSeconds: 1,
  failNext: 2,
  errorRate: 0.02,
  resetNext: 2,
  resetRate: 0.05,
  uploadResetNext: 2,
  uploadResetRate: 0.03,
  loseAnswerNext: 2,
  loseAnswerRate: 0.02,
};

type Emulator = GoogleDriveEmulator | OneDriveEmulator | DropboxEmulator;
let tmp: string;
let source: GoogleDriveEmulator;
let driveCopy: GoogleDriveEmulator;
let onedrive: OneDriveEmulator;
let dropbox: DropboxEmulator;
let store: Store;
let account: Account;
let client: Client;
let clientConnection: TemporalConnection;
let worker: { worker: Worker; connection: NativeConnection; run: Promise<void> } | undefined;
/** Where each connection points and the tokens it started with (the factory below opens it). */
const endpoints = new Map<string, { emulator: Emulator; tokens: OAuthTokens }>();
const budgets = createMemoryBudgets();

/** As connectors/open.ts builds a cloud connector, with small upload chunks so large files take several. */
function openTestConnector(c: Connection): Connector {
  const target = endpoints.get(c.id);
  if (!target) throw new Error(`No endpoint for ${c.id}`);
  const { emulator, tokens } = target;
  const token = { google_drive: '/token', onedrive: '/common/oauth2/v2.0/token', dropbox: '/oauth2/token' };
  const options: CloudConnectorOptions = {
    baseUrl: emulator.url,
    contentUrl: emulator.url,
    oauth: {
      ...emulator.defaultClient,
      tokenUrl: `${emulator.url}${token[c.service as keyof typeof token]}`,
    },
    tokens,
    chunkSize: 320 * KiB,
    resumableThreshold: 512 * KiB,
    gate: budgetGate(budgets, c.service, c.id, BUDGET_PER_SECOND),
  };
  if (c.service === 'google_drive') return createGoogleDriveConnector(options);
  if (c.service === 'onedrive') return createOneDriveConnector(options);
  return createDropboxConnector(options);
}

async function connect(service: Connection['service'], emulator: Emulator): Promise<Connection> {
  const grant = emulator.tokens.grant(emulator.defaultClient.clientId);
  const connection = await store.connections.create({
    id: newId('conn'),
    accountId: account.id,
    service,
    name: `${service} ${endpoints.size}`,
    config: {},
  });
  endpoints.set(connection.id, {
    emulator,
    tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
  });
  return connection;
}

/** The source: plain names (OneDrive takes them all), nested folders, and a few large files. */
function seedSource(): Map<string, string> {
  const seeded = source.seed({
    seed: 41,
    files: SMALL_FILES,
    folders: 12,
    maxDepth: 3,
    minSize: 1,
    maxSize: 5 * KiB,
  });
  const folders = seeded.entries.filter((e) => e.type === 'folder');
  for (const [i, big] of LARGE.entries()) {
    const parent = folderId(source, folders[big.folder]!.path);
    source.store.create({
      name: `large ${i}.bin`,
      mimeType: 'application/octet-stream',
      parents: [parent],
      content: randomBytes(big.size),
    });
  }
  return asMap(driveTree(source));
}

function folderId(emu: GoogleDriveEmulator, folderPath: string): string {
  let id = emu.store.rootId;
  for (const name of folderPath.split('/').filter(Boolean)) {
    id = emu.store.children(id).find((f) => f.name === name)!.id;
  }
  return id;
}

async function migrate(to: Connection, toPath: string, from: Connection) {
  const src = { connectionId: from.id, service: from.service, path: '/' };
  const dst = { connectionId: to.id, service: to.service, path: toPath };
  const options = completeOptions({ conflict: 'skip' as const, verify: 'checksum' as const });
  const migration = await store.migrations.create({
    accountId: account.id,
    source: src,
    destination: dst,
    options,
  });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: account.id,
    source: src,
    destination: dst,
    options,
    // Small batches, so a batch's retries and the large files' activities are many.
    tuning: { batchMaxFiles: 25, concurrency: 3, largeFileBytes: LARGE_FILE_BYTES },
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: migration.workflowId,
    args: [input],
  });
  return { id: migration.id, result: handle.result() };
}

async function allItems(migrationId: string): Promise<MigrationItem[]> {
  const out: MigrationItem[] = [];
  for (let token: string | null = null; ;) {
    const page = await store.items.list(account.id, migrationId, {}, { pageSize: 1000, pageToken: token });
    out.push(...page.items);
    if (!(token = page.nextPageToken)) return out;
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-fault-storm-'));
  [source, driveCopy, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'faults', plan: 'enterprise' });
  ({ client, connection: clientConnection } = await connectTestClient());
  const activities = createActivities({ store, connectorFactory: openTestConnector, fileConcurrency: 6 });
  const w = await createTestWorker(activities, TASK_QUEUE);
  worker = { ...w, run: w.worker.run() };
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.run;
  await worker?.connection.close();
  await budgets.close();
  await clientConnection?.close();
  await store?.close();
  await Promise.all([source, driveCopy, onedrive, dropbox].map((e) => e?.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('completes three cloud migrations under throttling storms, 5xx, resets and lost answers', async () => {
  const expected = seedSource();
  const files = [...expected.values()].filter((d) => d !== 'folder').length;
  expect(files).toBe(SMALL_FILES + LARGE.length);

  const from = await connect('google_drive', source);
  const targets = {
    onedrive: await connect('onedrive', onedrive),
    dropbox: await connect('dropbox', dropbox),
    drive: await connect('google_drive', driveCopy),
  };
  // Drive throttles with its 403 userRateLimitExceeded by default; the copy's Drive with 429s.
  driveCopy.throttleStyle = '429';
  for (const emu of [source, driveCopy, onedrive, dropbox]) emu.faults.update(FAULTS);
  // The source serves three migrations: twice the rate.
  source.faults.update({ rateLimitPerSecond: 2 * FAULTS.rateLimitPerSecond! });

  const runs = {
    onedrive: await migrate(targets.onedrive, '/From Drive', from),
    dropbox: await migrate(targets.dropbox, '/From Drive', from),
    drive: await migrate(targets.drive, '/From Drive', from),
  };
  const results: Record<string, MigrationSnapshot> = {};
  for (const [name, run] of Object.entries(runs)) results[name] = await run.result;
  const counters = Object.fromEntries(
    Object.entries({ source, driveCopy, onedrive, dropbox }).map(([k, e]) => [k, e.counters.snapshot()]),
  );
  for (const emu of [source, driveCopy, onedrive, dropbox]) emu.faults.reset();

  const trees: Record<string, TreeEntry[]> = {
    onedrive: oneDriveTree(onedrive, '/From Drive'),
    dropbox: dropboxTree(dropbox, '/From Drive'),
    drive: driveTree(driveCopy, '/From Drive'),
  };
  for (const [name, result] of Object.entries(results)) {
    const items = await allItems(runs[name as keyof typeof runs].id);
    expect({ name, status: result.status, error: result.error }).toEqual({
      name,
      status: 'completed',
      error: null,
    });
    expect({ name, ...result.progress }).toMatchObject({
      name,
      filesCopied: files,
      filesSkipped: 0,
      filesFailed: 0,
    });
    // Exactly one item per file, every one copied.
    expect({ name, items: items.length, copied: items.filter((i) => i.status === 'copied').length }).toEqual({
      name,
      items: files,
      copied: files,
    });
    expect(new Set(items.map((i) => i.sourcePath)).size).toBe(files);
    expect({ name, duplicates: duplicatePaths(trees[name]!) }).toEqual({ name, duplicates: [] });
    expect(asMap(trees[name]!)).toEqual(expected);
  }

  // Every kind of fault really happened, on the source and at the destinations.
  const sum = (key: 'throttled' | 'server_errors' | 'resets' | 'upload_resets' | 'lost_answers') =>
    Object.values(counters).reduce((n, c) => n + c[key], 0);
  expect(counters.source!.resets).toBeGreaterThan(0);
  for (const k of ['source', 'driveCopy', 'onedrive', 'dropbox']) {
    expect({ k, throttled: counters[k]!.throttled > 0, errors: counters[k]!.server_errors > 0 }).toEqual({
      k,
      throttled: true,
      errors: true,
    });
  }
  for (const k of ['driveCopy', 'onedrive', 'dropbox']) {
    expect({ k, uploadResets: counters[k]!.upload_resets > 0, lost: counters[k]!.lost_answers > 0 }).toEqual({
      k,
      uploadResets: true,
      lost: true,
    });
  }
  expect(sum('throttled')).toBeGreaterThanOrEqual(4 * (FAULTS.throttleNext ?? 0));
});
