// The product as users run it, as separate processes: a Temporal dev server from the installed CLI (its
// own db file and free ports), the worker and the API (`node dist/...`), all on a private SQLite store
// and task queue in a temp dir, with an account and API key made in that store. Nothing is restarted:
// a process that dies fails the benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config';
import { randomBase62 } from '../../common/ids';
import { generateEncryptionKey } from '../../common/secret-box';
import { SupervisedChild } from '../../scripts/lib/child';
import { devServerArgs, waitUntilServing, type DevServerPlan } from '../../scripts/lib/temporal-dev-server';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { createStore } from '../../store';
import { ApiClient } from './api-client';
import { log } from './log';
import { freePort } from '../../common/free-port';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';

export const projectRoot = loadConfig({}).projectRoot;

export interface StackOptions {
  /** Scratch dir for the databases and logs (the caller removes it). */
  dir: string;
  /** Folders local connections may use (MIGRATECLOUDS_LOCAL_ROOTS). */
  localRoots: string[];
  /** More environment for the worker and the API, e.g. provider settings pointing at emulators. */
  env?: Record<string, string>;
}

export interface Stack {
  api: ApiClient;
  apiUrl: string;
  /** The store (SQLite): another account can be made in it (createAccount). */
  databaseUrl: string;
  temporalAddress: string;
  workerPid: number;
  apiPid: number;
  temporalPid: number;
  /** Throws when a process of the stack has died (call it while waiting). */
  assertAlive(): void;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const children: SupervisedChild[] = [];
  const deaths: string[] = [];
  const supervise = (spec: ConstructorParameters<typeof SupervisedChild>[0]) => {
    const child = new SupervisedChild({ maxRestarts: 0, stopTimeoutMs: 15_000, ...spec }, (e) =>
      deaths.push(`${e.name} exited (${e.signal ?? `code ${e.code}`}); see ${spec.logFile}`),
    );
    children.push(child);
    child.start();
    return child;
  };
  const stop = async () => {
    // Worker and API first (they drain), Temporal last.
    await Promise.all(children.filter((c) => c.spec.name !== 'temporal').map((c) => c.stop()));
    await Promise.all(children.filter((c) => c.spec.name === 'temporal').map((c) => c.stop()));
  };
  const assertAlive = () => {
    if (deaths.length) throw new Error(deaths.join('; '));
  };
  process.once('exit', () => children.forEach((c) => c.kill()));
  fs.mkdirSync(opts.dir, { recursive: true });

  try {
    const [grpcPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const plan: DevServerPlan = {
      cli: temporalCliPath(projectRoot),
      host: '127.0.0.1',
      port: grpcPort,
      uiPort,
      namespace: 'default',
      dbFile: path.join(opts.dir, 'temporal.db'),
      logFile: path.join(opts.dir, 'temporal.log'),
    };
    const temporalAddress = `127.0.0.1:${grpcPort}`;
    log(`starting Temporal dev server on ${temporalAddress}`);
    const temporal = supervise({
      name: 'temporal',
      command: plan.cli,
      args: devServerArgs(plan),
      logFile: plan.logFile,
    });
    await waitUntilServing(plan.cli, temporalAddress, {
      alive: () => temporal.running,
      logFile: plan.logFile,
    });

    const databaseUrl = `sqlite:${path.join(opts.dir, 'migrateclouds.db')}`;
    const apiKey = await createAccount(databaseUrl, opts.localRoots);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      MIGRATECLOUDS_TASK_QUEUE: `bench-${randomBase62(8)}`,
      DATABASE_URL: databaseUrl,
      MIGRATECLOUDS_DATA_DIR: opts.dir,
      MIGRATECLOUDS_LOCAL_ROOTS: opts.localRoots.join(':'),
      MIGRATECLOUDS_ENCRYPTION_KEY: generateEncryptionKey(),
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      // The benchmark polls progress often; the plan limit is not what is measured.
      RATE_LIMIT_ENTERPRISE_PER_MINUTE: '100000',
      ...opts.env,
    };
    // e.g. BENCH_WORKER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker.
    const nodeOptions = (name: string) =>
      name === 'worker'
        ? [...WORKER_NODE_FLAGS, ...(process.env.BENCH_WORKER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])]
        : [];
    const node = (name: string, entry: string) =>
      supervise({
        name,
        command: process.execPath,
        args: [...nodeOptions(name), path.join(projectRoot, entry)],
        env,
        logFile: path.join(opts.dir, `${name}.log`),
      });
    log('starting worker and API');
    const worker = node('worker', 'dist/worker/main.js');
    const api = node('api', 'dist/api/main.js');
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API to be ready', assertAlive, () => isReady(`${apiUrl}/readyz`));
    // Otherwise the worker's start-up would be timed as part of the first migration.
    await waitFor('the worker to poll', assertAlive, async () =>
      fs.readFileSync(path.join(opts.dir, 'worker.log'), 'utf8').includes('"worker started"'),
    );
    return {
      api: new ApiClient(apiUrl, apiKey),
      apiUrl,
      databaseUrl,
      temporalAddress,
      workerPid: worker.pid as number,
      apiPid: api.pid as number,
      temporalPid: temporal.pid as number,
      assertAlive,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An account of the stack's store, granted the local roots its connections use; answers its API key. */
export async function createAccount(
  databaseUrl: string,
  localRoots: string[],
  name = 'Benchmark',
): Promise<string> {
  const store = await createStore(databaseUrl);
  try {
    const account = await store.accounts.create({ name, plan: 'enterprise' });
    for (const root of localRoots) {
      await store.localGrants.grant(account.id, fs.existsSync(root) ? fs.realpathSync(root) : root);
    }
    return (await store.apiKeys.create({ accountId: account.id, name: 'bench', scope: 'admin' })).plaintext;
  } finally {
    await store.close();
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function waitFor(
  what: string,
  assertAlive: () => void,
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive();
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
