// `npm start`: the embedded default in one terminal — Temporal dev server, worker and API as supervised
// children, SQLite in .data/, and a development account whose key is printed once everything is up.
// With `--demo` (or MIGRATECLOUDS_DEMO=1) also the provider emulators with sample files, and the
// development account's connections to them (scripts/lib/demo.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config';
import { createSecretBox } from '../common/secret-box';
import { createStore } from '../store';
import { reportChildEvents, SupervisedChild } from './lib/child';
import { ensureDevAccount, type DevAccount } from './lib/dev-account';
import { ensureDevEncryptionKey } from './lib/dev-encryption-key';
import { ensureDevOwner, type DevOwner } from './lib/dev-owner';
import { isDemoMode, startDemoEmulators, type DemoEmulators } from './lib/demo';
import { demoBannerLines } from './lib/demo-banner';
import { ensureDemoConnections, type DemoConnection } from './lib/demo-connections';
import { startTemporal } from './lib/temporal-dev-server';
import { printBanner, waitForHttp } from './lib/banner';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';

const log = (line: string) => process.stdout.write(`[start] ${line}\n`);
const children: SupervisedChild[] = [];
/** The codec endpoint's port under `npm start` when TEMPORAL_CODEC_PORT is unset (next to the UI's 8233). */
const DEV_CODEC_PORT = 8234;
let shuttingDown = false;
let demo: DemoEmulators | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(path.join(config.MIGRATECLOUDS_DATA_DIR, 'files'), { recursive: true });
  process.once('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.once('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  // If the supervisor dies some other way, do not leave detached children behind.
  process.once('exit', () => children.forEach((c) => c.kill()));

  const entries = { worker: 'dist/worker/main.js', api: 'dist/api/main.js' } as const;
  for (const entry of Object.values(entries)) {
    if (!fs.existsSync(path.join(config.projectRoot, entry)))
      throw new Error(`${entry} is missing: run npm run build`);
  }

  if (isDemoMode(process.argv.slice(2), config)) {
    // First, so a port already in use fails the start before anything else is up.
    demo = await startDemoEmulators();
    for (const e of demo.emulators) log(`${e.label} emulator on ${e.url}`);
  }

  // The Web UI decrypts workflow payloads through the API's codec endpoint (docs/operations/encryption.md).
  const codecPort = config.TEMPORAL_CODEC_PORT || DEV_CODEC_PORT;
  const withCodec = { ...config, TEMPORAL_CODEC_PORT: codecPort };
  const temporal = await startTemporal(withCodec, {
    log,
    onEvent: onChildEvent,
    onChild: (c) => {
      children.push(c);
      // The samples take seconds of CPU to generate: do it while the dev server boots in its own process.
      demo?.seed();
    },
  });
  demo?.seed();
  if (shuttingDown) return;

  let encryptionKey = config.MIGRATECLOUDS_ENCRYPTION_KEY;
  if (!encryptionKey) {
    const devKey = ensureDevEncryptionKey(config.MIGRATECLOUDS_DATA_DIR);
    if (devKey.created) log(`created a development encryption key in ${devKey.file}`);
    encryptionKey = devKey.key;
  }
  const { dev, owner, demoConnections } = await prepareDevAccount(config, encryptionKey);
  // In demo mode the three cloud services are the emulators, whatever provider settings are set.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...demo?.env,
    TEMPORAL_ADDRESS: temporal.address,
    MIGRATECLOUDS_ENCRYPTION_KEY: encryptionKey,
    TEMPORAL_CODEC_PORT: String(codecPort),
  };
  for (const [name, entry] of Object.entries(entries)) {
    const child = new SupervisedChild(
      {
        name,
        command: process.execPath,
        args: [...(name === 'worker' ? WORKER_NODE_FLAGS : []), path.join(config.projectRoot, entry)],
        env,
        stopTimeoutMs: 15_000,
      },
      onChildEvent,
    );
    children.push(child);
    child.start();
  }

  const apiUrl = `http://localhost:${config.PORT}`;
  const ready = await waitForHttp(`http://127.0.0.1:${config.PORT}/healthz`, 60_000, () => shuttingDown);
  if (shuttingDown) return;
  if (!ready) log(`the API has not answered ${apiUrl}/healthz yet; its output above says why`);
  const relativeKeyFile = path.relative(process.cwd(), dev.keyFile);
  const demoLines = demo ? [...demoBannerLines(apiUrl, dev.apiKey, demo.emulators, demoConnections), ''] : [];
  printBanner(
    apiUrl,
    temporal.uiUrl,
    dev,
    relativeKeyFile.startsWith('..') ? dev.keyFile : relativeKeyFile,
    demoLines,
    undefined,
    owner,
  );
}

async function prepareDevAccount(
  config: Config,
  encryptionKey: string,
): Promise<{ dev: DevAccount; owner: DevOwner; demoConnections: DemoConnection[] }> {
  const store = await createStore(config.databaseUrl, {
    statementTimeoutSeconds: config.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    poolMax: config.DATABASE_POOL_MAX,
  });
  try {
    const dev = await ensureDevAccount(store, config.MIGRATECLOUDS_DATA_DIR);
    if (dev.outcome !== 'reused')
      log(`development account ${dev.accountId}: ${dev.outcome.replace('-', ' ')}`);
    const owner = await ensureDevOwner(store, config, dev.accountId);
    if (owner.created) log(`created the console owner ${owner.email}`);
    const demoConnections = demo
      ? await ensureDemoConnections(store, {
          accountId: dev.accountId,
          box: createSecretBox(encryptionKey),
          emulators: demo.emulators,
        })
      : [];
    for (const c of demoConnections.filter((c) => c.outcome === 'created'))
      log(`created ${c.name} (${c.id})`);
    return { dev, owner, demoConnections };
  } finally {
    await store.close();
  }
}

const onChildEvent = reportChildEvents(log, (name) => void shutdown(1, `${name} failed`));

async function shutdown(code: number, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`stopping (${reason})…`);
  // API and worker first (they drain), Temporal last so the worker can finish talking to it.
  const apps = children.filter((c) => c.spec.name !== 'temporal');
  await Promise.all(apps.map((c) => c.stop()));
  await Promise.all(children.filter((c) => c.spec.name === 'temporal').map((c) => c.stop()));
  await demo?.close();
  log('stopped');
  process.exit(code);
}

main().catch(async (err) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`[start] ${message}\n`);
  await shutdown(1, 'start-up failed');
});
