// `npm run cluster`: the scale-out shape on one machine, from the same binaries a production cluster runs.
// Temporal built from its Go module (scripts/install-temporal-server.sh) on PostgreSQL, each service in its
// own processes (plan.ts), its Web UI, the API as several replicas and several workers, all behind HAProxy
// (haproxy.ts), which answers on PORT and TEMPORAL_ADDRESS as `npm start` does, so every documented command
// works unchanged. The store is on PostgreSQL and budgets and rate limits on Redis. The development account's
// key is written to .data/dev-api-key as `npm start` does. Ctrl-C stops it all: apps, Temporal, balancer.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { retryUntilReady } from '../common/retry';
import { loadConfig } from '../config';
import { createStore } from '../store';
import { printBanner, waitForHttp } from './lib/banner';
import { reportChildEvents, SupervisedChild } from './lib/child';
import {
  connectionBudget,
  parseCounts,
  planCluster,
  type ClusterPlan,
  type ConnectionBudget,
} from './lib/cluster/plan';
import { haproxyConfig } from './lib/cluster/haproxy';
import {
  ensureDatabase,
  maxConnections,
  postgresTarget,
  setUpTemporalSchemas,
  storeUrl,
} from './lib/cluster/postgres';
import { temporalConfig, uiConfig, type PostgresTarget } from './lib/cluster/temporal-config';
import { createSecretBox } from '../common/secret-box';
import { isDemoMode, startDemoEmulators, type DemoEmulators } from './lib/demo';
import { demoBannerLines } from './lib/demo-banner';
import { ensureDemoConnections } from './lib/demo-connections';
import { ensureDevAccount } from './lib/dev-account';
import { ensureDevEncryptionKey } from './lib/dev-encryption-key';
import {
  ensureNamespace,
  ensureSearchAttributes,
  parseHostPort,
  waitUntilServing,
} from './lib/temporal-dev-server';
import { temporalCliPath } from './temporal-cli';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';

const log = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const groups: { temporal: SupervisedChild[]; apps: SupervisedChild[]; balancer: SupervisedChild[] } = {
  temporal: [],
  apps: [],
  balancer: [],
};
let shuttingDown = false;
let demo: DemoEmulators | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  const argv = process.argv.slice(2);
  const demoMode = isDemoMode(argv, config);
  const counts = parseCounts(argv.filter((a) => a !== '--demo'));
  const root = config.projectRoot;
  const bin = (name: string) => path.join(root, '.tools', 'bin', name);
  const dir = path.join(config.MIGRATECLOUDS_DATA_DIR, 'cluster');
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  fs.mkdirSync(path.join(config.MIGRATECLOUDS_DATA_DIR, 'files'), { recursive: true });
  process.once('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.once('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  process.once('exit', () =>
    Object.values(groups)
      .flat()
      .forEach((c) => c.kill()),
  );

  const haproxy = findHaproxy();
  if (demoMode) {
    // First, so a port in use fails the start before anything else is up; seeded while Temporal starts.
    demo = await startDemoEmulators();
    demo.seed();
    for (const e of demo.emulators) log(`${e.label} emulator on ${e.url}`);
  }
  const temporalPort = parseHostPort(config.TEMPORAL_ADDRESS).port;
  const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port || 8233);
  const plan = planCluster(counts, {
    apiPort: config.PORT,
    apiHost: config.HOST,
    temporalPort,
    codecPort: config.TEMPORAL_CODEC_PORT || 8234,
    uiPort,
  });
  const db = postgresTarget();
  const store = storeUrl(db);

  log(`PostgreSQL ${db.host}:${db.port}: Temporal's schemas (temporal-sql-tool), the store's database`);
  await setUpTemporalSchemas(bin('temporal-sql-tool'), db, log);
  if (await ensureDatabase(store)) log(`created the store's database (${redact(store)})`);
  const budget = connectionBudget(await maxConnections(db), plan);
  log(
    `connections to PostgreSQL per process: Temporal ${budget.temporal.store} + ${budget.temporal.visibility} (visibility), API and workers ${budget.app}`,
  );

  // The balancer first: the services and clients find each other through it.
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyConfig(plan));
  supervise('balancer', 'haproxy', haproxy, ['-f', path.join(dir, 'haproxy.cfg'), '-db'], logs);

  startTemporal(plan, db, budget.temporal, dir, logs, bin('temporal-server'), root);
  const cli = temporalCliPath(root);
  log(`waiting for the Temporal frontends behind ${plan.temporalAddress}…`);
  await waitUntilServing(cli, plan.temporalAddress, { timeoutMs: 180_000, alive: () => !shuttingDown });
  // Until the balancer's health checks have seen every frontend, a call may reach one still starting.
  const settled = <T>(what: string, fn: () => Promise<T>) => retryUntilReady(what, fn, { timeoutMs: 30_000 });
  if (
    await settled('the namespace', () =>
      ensureNamespace(cli, plan.temporalAddress, config.TEMPORAL_NAMESPACE),
    )
  )
    log(`registered the namespace ${config.TEMPORAL_NAMESPACE}`);
  // A new namespace reaches every frontend's cache within seconds.
  await settled('the search attributes', () =>
    ensureSearchAttributes(cli, plan.temporalAddress, config.TEMPORAL_NAMESPACE),
  );

  const codecEndpoint = `http://127.0.0.1:${plan.codecPort}/codec`;
  const uiDir = path.join(dir, 'ui');
  fs.mkdirSync(path.join(uiDir, 'config'), { recursive: true });
  writeJson(
    path.join(uiDir, 'config', 'cluster.yaml'),
    uiConfig(plan, config.TEMPORAL_NAMESPACE, codecEndpoint),
  );
  supervise(
    'temporal',
    'ui',
    bin('temporal-ui-server'),
    ['--root', uiDir, '--env', 'cluster', 'start'],
    logs,
  );

  const encryptionKey =
    config.MIGRATECLOUDS_ENCRYPTION_KEY || ensureDevEncryptionKey(config.MIGRATECLOUDS_DATA_DIR).key;
  const { dev, demoConnections } = await withStore(store, async (s) => {
    const account = await ensureDevAccount(s, config.MIGRATECLOUDS_DATA_DIR);
    const connections = demo
      ? await ensureDemoConnections(s, {
          accountId: account.accountId,
          box: createSecretBox(encryptionKey),
          emulators: demo.emulators,
        })
      : [];
    return { dev: account, demoConnections: connections };
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...demo?.env,
    DATABASE_URL: store,
    DATABASE_POOL_MAX: String(budget.app),
    REDIS_URL: config.REDIS_URL || 'redis://127.0.0.1:6379',
    TEMPORAL_ADDRESS: plan.temporalAddress,
    TEMPORAL_UI_URL: `http://localhost:${plan.uiPort}`,
    MIGRATECLOUDS_ENCRYPTION_KEY: encryptionKey,
    // Behind the balancer on loopback: client addresses come in X-Forwarded-For.
    TRUST_PROXY: config.TRUST_PROXY || 'loopback',
  };
  for (const api of plan.apis) {
    supervise('apps', api.name, process.execPath, [path.join(root, 'dist/api/main.js')], logs, {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(api.port),
      TEMPORAL_CODEC_PORT: String(api.codecPort),
      TEMPORAL_CODEC_HOST: '127.0.0.1',
    });
  }
  for (const worker of plan.workers) {
    const args = [...WORKER_NODE_FLAGS, path.join(root, 'dist/worker/main.js')];
    supervise('apps', worker.name, process.execPath, args, logs, {
      ...env,
      WORKER_HEALTH_PORT: String(worker.healthPort),
    });
  }

  const apiUrl = `http://localhost:${plan.apiPort}`;
  if (!(await waitForHttp(`http://127.0.0.1:${plan.apiPort}/healthz`, 90_000, () => shuttingDown))) {
    if (!shuttingDown) log(`the API has not answered ${apiUrl}/healthz yet; see ${logs}`);
  }
  if (shuttingDown) return;
  const keyFile = path.relative(process.cwd(), dev.keyFile);
  printBanner(
    apiUrl,
    `http://localhost:${plan.uiPort}`,
    dev,
    keyFile.startsWith('..') ? dev.keyFile : keyFile,
    [
      `Cluster: ${describe(plan)}`,
      `  Temporal frontends  ${plan.temporalAddress} (HAProxy; statistics on http://127.0.0.1:${plan.statsPort}/)`,
      `  Store               ${redact(store)}`,
      `  Worker health       ${plan.workers.map((w) => `http://127.0.0.1:${w.healthPort}/readyz`).join(' ')}`,
      `  Logs                ${logs}`,
      '',
      ...(demo ? [...demoBannerLines(apiUrl, dev.apiKey, demo.emulators, demoConnections), ''] : []),
    ],
    'MigrateClouds cluster is running',
  );
}

function startTemporal(
  plan: ClusterPlan,
  db: PostgresTarget,
  pools: ConnectionBudget['temporal'],
  dir: string,
  logs: string,
  server: string,
  root: string,
) {
  const temporalDir = path.join(dir, 'temporal');
  fs.mkdirSync(path.join(temporalDir, 'config'), { recursive: true });
  const dynamicConfig = path.join(root, 'deploy/temporal/dynamicconfig/development-sql.yaml');
  for (const proc of plan.temporal) {
    writeJson(
      path.join(temporalDir, 'config', `${proc.name}.yaml`),
      temporalConfig(plan, proc, db, dynamicConfig, pools),
    );
    const args = [
      '--root',
      temporalDir,
      '--config',
      'config',
      '--env',
      proc.name,
      'start',
      '--service',
      proc.role,
    ];
    supervise('temporal', proc.name, server, args, logs);
  }
  log(`started ${describe(plan)}`);
}

function supervise(
  group: keyof typeof groups,
  name: string,
  command: string,
  args: string[],
  logs: string,
  env?: NodeJS.ProcessEnv,
): SupervisedChild {
  const child = new SupervisedChild(
    { name, command, args, env, logFile: path.join(logs, `${name}.log`), stopTimeoutMs: 15_000 },
    onChildEvent,
  );
  groups[group].push(child);
  child.start();
  return child;
}

function describe(plan: ClusterPlan): string {
  const count = (role: string) => plan.temporal.filter((p) => p.role === role).length;
  return [
    `${count('frontend')} frontend, ${count('history')} history, ${count('matching')} matching and ${count('worker')} worker-service processes`,
    `${plan.apis.length} API replicas`,
    `${plan.workers.length} workers`,
  ].join(', ');
}

function findHaproxy(): string {
  for (const candidate of [process.env.HAPROXY_PATH, '/usr/sbin/haproxy', '/usr/bin/haproxy']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('HAProxy is needed as the load balancer: apt-get install haproxy (or set HAPROXY_PATH)');
  }
}

async function withStore<T>(url: string, fn: (store: Awaited<ReturnType<typeof createStore>>) => Promise<T>) {
  const store = await createStore(url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const writeJson = (file: string, value: unknown) =>
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const onChildEvent = reportChildEvents(log, (name) => void shutdown(1, `${name} failed`));

async function shutdown(code: number, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`stopping (${reason})…`);
  // The API and the workers first (they drain), then Temporal, then the balancer they talk through.
  await Promise.all(groups.apps.map((c) => c.stop()));
  await Promise.all(groups.temporal.map((c) => c.stop()));
  await Promise.all(groups.balancer.map((c) => c.stop()));
  await demo?.close();
  log('stopped');
  process.exit(code);
}

main().catch(async (err) => {
  process.stderr.write(`[cluster] ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(1, 'start-up failed');
});
