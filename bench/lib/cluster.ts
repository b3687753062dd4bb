// `npm run cluster` as benchmarks 6 and 8 run it: its API on port 3300, its store in the mc_bench_cluster
// database, its data (and the dev account's files folder) in the benchmark's temp dir.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForHttp } from '../../scripts/lib/banner';
import { ApiClient, type MigrationView } from './api-client';
import { projectRoot } from './stack';

export const API_PORT = 3300;
export const STORE_URL = 'postgres://postgres@127.0.0.1:5432/mc_bench_cluster';

/** Builds the Temporal binaries if missing (install-temporal-server.sh), then starts the cluster. */
export function startCluster(
  dir: string,
  data: string,
  workers: number,
  env: Record<string, string> = {},
): ChildProcess {
  execFileSync('bash', [path.join(projectRoot, 'scripts/install-temporal-server.sh')], { stdio: 'ignore' });
  const out = fs.openSync(path.join(dir, 'cluster.log'), 'a');
  return spawn(
    process.execPath,
    [path.join(projectRoot, 'dist/scripts/cluster.js'), '--workers', String(workers)],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...env,
        MIGRATECLOUDS_DATA_DIR: data,
        PORT: String(API_PORT),
        DATABASE_URL: STORE_URL,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', out, out],
      detached: true,
    },
  );
}

/** Waits for the API through the balancer; answers a client with the dev account's key. */
export async function clusterApi(cluster: ChildProcess, data: string): Promise<ApiClient> {
  const up = await waitForHttp(
    `http://127.0.0.1:${API_PORT}/healthz`,
    5 * 60_000,
    () => cluster.exitCode !== null,
  );
  if (!up) throw new Error(`the cluster did not answer within 5 minutes (exit code ${cluster.exitCode})`);
  const key = fs.readFileSync(path.join(data, 'dev-api-key'), 'utf8').trim();
  return new ApiClient(`http://127.0.0.1:${API_PORT}`, key);
}

export async function stopCluster(cluster: ChildProcess): Promise<void> {
  if (cluster.exitCode !== null) return;
  const exited = new Promise((resolve) => cluster.once('exit', resolve));
  cluster.kill('SIGINT');
  await Promise.race([exited, sleep(60_000)]);
}

/** Waits for every migration to end; times the first start to the last end (the store's clocks). */
export async function timedToEnd(
  api: ApiClient,
  started: MigrationView[],
): Promise<{ ms: number; views: MigrationView[] }> {
  const views: MigrationView[] = [];
  for (const m of started) views.push(await api.waitForMigration(m.id, { everyMs: 1000 }));
  const first = Math.min(...views.map((v) => Date.parse(v.created_at)));
  const last = Math.max(...views.map((v) => Date.parse(v.finished_at!)));
  return { ms: last - first, views };
}
