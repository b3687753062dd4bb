// Benchmark 6: the cluster of `npm run cluster` (Temporal in separate processes on PostgreSQL, API replicas
// and workers behind HAProxy) copying several local → local migrations at once while, one after another,
// a worker, a history process and a matching process are SIGKILLed and PostgreSQL is restarted. The
// cluster's supervisor starts a killed process again, as an orchestrator would. Every migration must
// complete with every file copied once, and each destination must equal the source byte for byte.
// Needs what `npm run cluster` needs (the built Temporal binaries, HAProxy, PostgreSQL, Redis) and the
// cluster's ports free (stop `npm run cluster` and `npm start` first); restarting PostgreSQL needs root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL, type MigrationView } from './lib/api-client';
import { digestTree, writeSmallFiles } from './lib/data';
import { seconds } from './lib/format';
import { log } from './lib/log';
import { clusterApi, STORE_URL, startCluster, stopCluster } from './lib/cluster';
import { scaled, type Benchmark } from './lib/types';

const MIGRATIONS = 3;

interface Fault {
  name: string;
  /** Fires once the migrations together have copied this share of their files. */
  at: number;
  inject(dataDir: string): string;
}

const FAULTS: Fault[] = [
  { name: 'SIGKILL of one worker', at: 0.15, inject: (data) => killOne(workerPids(data)) },
  {
    name: 'SIGKILL of history process 1',
    at: 0.35,
    inject: () => killOne(pidsOf('--env temporal-history-1')),
  },
  {
    name: 'SIGKILL of matching process 1',
    at: 0.55,
    inject: () => killOne(pidsOf('--env temporal-matching-1')),
  },
  { name: 'PostgreSQL restart', at: 0.7, inject: () => restartPostgres() },
];

export const clusterFaults: Benchmark = {
  name: 'cluster-faults',
  title:
    'Benchmark 6 — the cluster through faults: SIGKILL of a worker, a history and a matching process, a PostgreSQL restart',
  async run({ dir, options }) {
    const parameters = {
      files: scaled(20_000, options.scale),
      folders: 100,
      migrations: MIGRATIONS,
      seed: 6,
    };
    const data = path.join(dir, 'data');
    const src = path.join(data, 'files', 'src');
    log(`writing ${parameters.files} files…`);
    const tree = writeSmallFiles(src, { ...parameters, minSize: 1024, maxSize: 8192 });
    const source = await digestTree(src);

    const cluster = startCluster(dir, data, 2);
    try {
      const api = await clusterApi(cluster, data);
      const from = await api.localConnection('src', fs.realpathSync(src));
      const started: MigrationView[] = [];
      const t0 = Date.now();
      for (let i = 0; i < MIGRATIONS; i++) {
        const dst = path.join(data, 'files', `dst-${i}`);
        fs.mkdirSync(dst, { recursive: true });
        const to = await api.localConnection(`dst-${i}`, fs.realpathSync(dst));
        started.push(
          await api.startMigration({ connection_id: from, path: '/' }, { connection_id: to, path: '/' }),
        );
      }
      const injected: { name: string; atSeconds: number; copiedShare: number; outcome: string }[] = [];
      const pending = [...FAULTS];
      let views: MigrationView[] = [];
      for (;;) {
        if (cluster.exitCode !== null)
          throw new Error(`the cluster exited (${cluster.exitCode}); see ${dir}/cluster.log`);
        views = await Promise.all(
          started.map((m) => api.getMigration(m.id).catch(() => views.find((v) => v.id === m.id)!)),
        );
        if (views.every((v) => v && FINAL.has(v.status))) break;
        const share =
          views.reduce((n, v) => n + (v?.progress.files_copied ?? 0), 0) / (tree.files * MIGRATIONS);
        while (pending.length && share >= pending[0].at) {
          const fault = pending.shift()!;
          const outcome = fault.inject(data);
          injected.push({
            name: fault.name,
            atSeconds: seconds(Date.now() - t0),
            copiedShare: Math.round(share * 100) / 100,
            outcome,
          });
          log(`${fault.name} at ${Math.round(share * 100)}% copied: ${outcome}`);
        }
        if (Date.now() - t0 > 30 * 60_000) throw new Error('the migrations did not finish within 30 minutes');
        await sleep(500);
      }
      const wallMs = Date.now() - t0;
      const digests = await Promise.all(
        views.map((_, i) => digestTree(path.join(data, 'files', `dst-${i}`))),
      );
      const items = await itemCounts(views.map((v) => v.id));
      const allCompleted = views.every((v) => v.status === 'completed');
      const identical = digests.filter((d) => d.sha256 === source.sha256).length;
      const exact = views.filter(
        (v) =>
          v.progress.files_copied === tree.files &&
          v.progress.files_skipped === 0 &&
          v.progress.files_failed === 0,
      ).length;
      return {
        parameters,
        metrics: [
          { name: 'migrations at once (files each)', value: `${MIGRATIONS} (${tree.files})` },
          { name: 'wall time, first start → last final', value: seconds(wallMs), unit: 's' },
          { name: 'files/s, all migrations', value: Math.round((tree.files * MIGRATIONS) / (wallMs / 1000)) },
          ...injected.map((f) => ({
            name: `${f.name} (at ${f.atSeconds} s, ${Math.round(f.copiedShare * 100)}% copied)`,
            value: f.outcome,
          })),
          ...FAULTS.filter((f) => pending.includes(f)).map((f) => ({
            name: f.name,
            value: 'not injected (finished first)',
          })),
          { name: 'statuses', value: views.map((v) => v.status).join(', ') },
          {
            name: 'files copied / skipped / failed per migration',
            value: views
              .map((v) => `${v.progress.files_copied}/${v.progress.files_skipped}/${v.progress.files_failed}`)
              .join(', '),
          },
          { name: 'item rows per migration (one per source file)', value: items.join(', ') },
          { name: 'destinations identical to the source', value: `${identical} of ${MIGRATIONS}` },
        ],
        targets: [
          {
            name: 'migrations completed through the faults',
            value: views.filter((v) => v.status === 'completed').length,
            target: `= ${MIGRATIONS}`,
            met: allCompleted,
          },
          {
            name: 'migrations with every file copied exactly once (counts and item rows)',
            value: exact,
            target: `= ${MIGRATIONS}`,
            met: exact === MIGRATIONS && items.every((n) => n === tree.files),
          },
          {
            name: 'destinations identical to the source',
            value: identical,
            target: `= ${MIGRATIONS}`,
            met: identical === MIGRATIONS,
          },
        ],
        details: { injected, views },
      };
    } finally {
      await stopCluster(cluster);
    }
  },
};

function pidsOf(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The cluster's own workers (their data dir is this run's). */
function workerPids(data: string): number[] {
  return pidsOf('dist/worker/main.js').filter((pid) => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .includes(`MIGRATECLOUDS_DATA_DIR=${data}`);
    } catch {
      return false;
    }
  });
}

function killOne(pids: number[]): string {
  if (pids.length === 0) return 'no such process';
  process.kill(pids[0], 'SIGKILL');
  return `pid ${pids[0]} killed`;
}

function restartPostgres(): string {
  try {
    const version = fs.readdirSync('/etc/postgresql')[0];
    const started = Date.now();
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], {
      stdio: 'ignore',
    });
    return `restarted in ${seconds(Date.now() - started)} s`;
  } catch (err) {
    return `not restarted: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function itemCounts(ids: string[]): Promise<number[]> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: STORE_URL });
  await client.connect();
  try {
    const rows = await client.query<{ migration_id: string; n: string }>(
      'SELECT migration_id, count(*) AS n FROM migration_items WHERE migration_id = ANY($1) GROUP BY migration_id',
      [ids],
    );
    return ids.map((id) => Number(rows.rows.find((r) => r.migration_id === id)?.n ?? 0));
  } finally {
    await client.end();
  }
}
