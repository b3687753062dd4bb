// The embedded Temporal dev server: started from the official CLI with a persistent SQLite file, awaited until
// it serves, and given the project's search attributes (also when the db file predates them).
// Used by `npm start` (scripts/start.ts) and `npm run temporal` (scripts/temporal-dev.ts).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config';
import { temporalCliPath } from '../temporal-cli';
import { SupervisedChild, type ChildEvent } from './child';
import { SEARCH_ATTRIBUTES } from '../../contract';

const run = promisify(execFile);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface DevServerPlan {
  cli: string;
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  logFile: string;
  /** The codec endpoint the Web UI decrypts payloads through (TEMPORAL_CODEC_PORT), if any. */
  codecEndpoint?: string;
}

export function parseHostPort(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`TEMPORAL_ADDRESS must look like host:port, got "${address}"`);
  return { host: match[1], port: Number(match[2]) };
}

/** The dev server's Web UI port: TEMPORAL_UI_URL's port when it names one, else gRPC port + 1000 (CLI default). */
export function uiPortFor(config: Pick<Config, 'TEMPORAL_UI_URL'>, grpcPort: number): number {
  try {
    const url = new URL(config.TEMPORAL_UI_URL);
    if (url.port) return Number(url.port);
  } catch {
    // not a URL: fall back to the CLI's default offset
  }
  return grpcPort + 1000;
}

/** Where the operator's browser reaches the API's codec listener (it binds TEMPORAL_CODEC_HOST). */
export function codecEndpointFor(
  config: Pick<Config, 'TEMPORAL_CODEC_PORT' | 'TEMPORAL_CODEC_HOST'>,
): string | undefined {
  if (!config.TEMPORAL_CODEC_PORT) return undefined;
  const host = ['0.0.0.0', '::'].includes(config.TEMPORAL_CODEC_HOST)
    ? '127.0.0.1'
    : config.TEMPORAL_CODEC_HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.TEMPORAL_CODEC_PORT}/codec`;
}

export function planDevServer(config: Config): DevServerPlan {
  const { host, port } = parseHostPort(config.TEMPORAL_ADDRESS);
  const dataDir = config.MIGRATECLOUDS_DATA_DIR;
  return {
    cli: temporalCliPath(config.projectRoot),
    host,
    port,
    uiPort: uiPortFor(config, port),
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.join(dataDir, 'temporal.db'),
    logFile: path.join(dataDir, 'temporal.log'),
    codecEndpoint: codecEndpointFor(config),
  };
}

export const isLoopback = (host: string) => LOOPBACK.has(host);

/**
 * Server settings every Temporal this project starts runs with (deploy/temporal/dynamicconfig holds the
 * same for the cluster and docker-compose.yml): fairness between the accounts' keys (contract/temporal.ts
 * jobPriority).
 */
export const SERVER_DYNAMIC_CONFIG: Record<string, unknown> = { 'matching.enableFairness': true };

export const dynamicConfigArgs = (): string[] =>
  Object.entries(SERVER_DYNAMIC_CONFIG).flatMap(([k, v]) => [
    '--dynamic-config-value',
    `${k}=${JSON.stringify(v)}`,
  ]);

export function devServerArgs(plan: DevServerPlan): string[] {
  const args = ['server', 'start-dev', '--db-filename', plan.dbFile, '--port', String(plan.port)];
  args.push('--ui-port', String(plan.uiPort), '--ip', plan.host === 'localhost' ? '127.0.0.1' : plan.host);
  args.push('--namespace', plan.namespace, '--log-level', 'warn');
  if (plan.codecEndpoint) args.push('--ui-codec-endpoint', plan.codecEndpoint);
  for (const name of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=Keyword`);
  args.push(...dynamicConfigArgs());
  return args;
}

/** True when a Temporal frontend answers the health check at `address`. */
export async function isServing(cli: string, address: string): Promise<boolean> {
  try {
    const { stdout } = await run(cli, ['operator', 'cluster', 'health', '--address', address], {
      timeout: 5000,
    });
    return stdout.includes('SERVING');
  } catch {
    return false;
  }
}

export async function waitUntilServing(
  cli: string,
  address: string,
  opts: { timeoutMs?: number; alive?: () => boolean; logFile?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (await isServing(cli, address)) return;
    if (opts.alive && !opts.alive())
      throw new Error(`Temporal dev server exited during start-up${tail(opts.logFile)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Temporal did not answer at ${address} in time${tail(opts.logFile)}`);
}

/** Registers `namespace` unless it exists (a cluster's database starts with none); true when created. */
export async function ensureNamespace(cli: string, address: string, namespace: string): Promise<boolean> {
  const common = ['--address', address, '--namespace', namespace];
  const exists = await run(cli, ['operator', 'namespace', 'describe', ...common]).then(
    () => true,
    () => false,
  );
  if (exists) return false;
  try {
    await run(cli, ['operator', 'namespace', 'create', ...common, '--retention', '72h']);
  } catch (err) {
    if (!/already (exists|registered)/i.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
  }
  return true;
}

/** Registers any missing project search attribute as Keyword; returns the names it had to create. */
export async function ensureSearchAttributes(
  cli: string,
  address: string,
  namespace: string,
): Promise<string[]> {
  const common = ['--address', address, '--namespace', namespace];
  const { stdout } = await run(cli, ['operator', 'search-attribute', 'list', ...common, '-o', 'json']);
  const existing =
    (JSON.parse(stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((name) => !(name in existing));
  for (const name of missing) {
    try {
      await run(cli, [
        'operator',
        'search-attribute',
        'create',
        ...common,
        '--name',
        name,
        '--type',
        'Keyword',
      ]);
    } catch (err) {
      // Another process may have registered it between list and create.
      if (!/already exists/i.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
    }
  }
  return missing;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  /** Undefined when an already-running or remote server is used. */
  child?: SupervisedChild;
}

/**
 * Starts the dev server unless TEMPORAL_ADDRESS is remote or already serving, waits for it and ensures the
 * search attributes. The child is supervised (restarted on crash) and must be stopped by the caller.
 */
export async function startTemporal(
  config: Config,
  hooks: {
    log: (line: string) => void;
    onEvent?: (event: ChildEvent) => void;
    /** Called as soon as the child exists, so a Ctrl-C during start-up can still stop it. */
    onChild?: (child: SupervisedChild) => void;
  },
): Promise<RunningTemporal> {
  const { log, onEvent } = hooks;
  const plan = planDevServer(config);
  // The dev server listens on 127.0.0.1; "localhost" may resolve to ::1 first in Node and in the worker's core.
  const address = `${plan.host === 'localhost' ? '127.0.0.1' : plan.host}:${plan.port}`;
  const uiUrl = `http://localhost:${plan.uiPort}`;
  if (!isLoopback(plan.host)) {
    log(`using the Temporal service at ${address} (not local: no dev server started)`);
    return { address, uiUrl: config.TEMPORAL_UI_URL };
  }
  if (await isServing(plan.cli, address)) {
    log(`Temporal is already serving at ${address}: using it`);
    await ensureSearchAttributes(plan.cli, address, plan.namespace);
    return { address, uiUrl };
  }
  fs.mkdirSync(path.dirname(plan.dbFile), { recursive: true });
  log(`starting Temporal dev server on ${address} (db ${plan.dbFile}, log ${plan.logFile})`);
  const child = new SupervisedChild(
    {
      name: 'temporal',
      command: plan.cli,
      args: devServerArgs(plan),
      logFile: plan.logFile,
      stopTimeoutMs: 10_000,
    },
    onEvent,
  );
  child.start();
  hooks.onChild?.(child);
  try {
    await waitUntilServing(plan.cli, address, { alive: () => child.running, logFile: plan.logFile });
    const created = await ensureSearchAttributes(plan.cli, address, plan.namespace);
    if (created.length) log(`registered search attributes: ${created.join(', ')}`);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { address, uiUrl, child };
}

function tail(logFile: string | undefined): string {
  if (!logFile || !fs.existsSync(logFile)) return '';
  const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10);
  return ` — last lines of ${logFile}:\n${lines.join('\n')}`;
}
