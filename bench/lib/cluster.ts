// `npm run cluster` as benchmarks 6 and 8 run it: its API on port 3300, its store in the mc_bench_cluster
// database, its data (and the dev account's files folder) in the benchmark's temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from './stack';

export const API_PORT = 3300;
export const STORE_URL = 'postgres://postgres@127.0.0.1:5432/mc_bench_cluster';

export function startCluster(dir: string, data: string, workers: number): ChildProcess {
  const out = fs.openSync(path.join(dir, 'cluster.log'), 'a');
  return spawn(
    process.execPath,
    [path.join(projectRoot, 'dist/scripts/cluster.js'), '--workers', String(workers)],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
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

export async function waitForApi(cluster: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (cluster.exitCode !== null)
      throw new Error(`the cluster exited during start-up (${cluster.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${API_PORT}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the cluster did not answer within 5 minutes');
    await sleep(1000);
  }
}

export async function stopCluster(cluster: ChildProcess): Promise<void> {
  if (cluster.exitCode !== null) return;
  const exited = new Promise((resolve) => cluster.once('exit', resolve));
  cluster.kill('SIGINT');
  await Promise.race([exited, sleep(60_000)]);
}
