// Benchmark 9: 1,000,000 tiny files copied on `npm run cluster` with four workers (10 parts of 10,000
// folders of 10 files, as benchmark 4). Files/s, history events per workflow run, the memory of the four
// workers and the seven Temporal server processes over time (flat: the last quarter's peak within 1.2× of
// the second's), and what the PostgreSQL store holds per million items.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { migrationWorkflowId } from '../contract';
import { clusterApi, startCluster, stopCluster, STORE_URL } from './lib/cluster';
import { digestTree } from './lib/data';
import { mb, seconds } from './lib/format';
import { log } from './lib/log';
import { RssSampler } from './lib/rss';
import { runChain } from './lib/runs';
import { writeTinyTree } from './lib/tiny-tree';
import { scaled, type Benchmark } from './lib/types';

const WORKERS = 4;
const MAX_RUN_EVENTS = 10_000;
const FLAT_GROWTH = 1.2;

export const clusterMillion: Benchmark = {
  name: 'cluster-million',
  title: 'Benchmark 9 — 1,000,000 tiny files copied on the cluster with four workers',
  async run({ dir, options }) {
    const spec = { parts: 10, foldersPerPart: scaled(10_000, options.scale), filesPerFolder: 10 };
    const data = path.join(dir, 'data');
    const files = path.join(data, 'files');
    log(`writing ${spec.parts} × ${spec.foldersPerPart} folders × ${spec.filesPerFolder} tiny files…`);
    const tree = writeTinyTree(path.join(files, 'src'), spec);
    fs.mkdirSync(path.join(files, 'dst'));
    const cluster = startCluster(dir, data, WORKERS);
    try {
      const api = await clusterApi(cluster, data);
      const groups = {
        workers: processes('dist/worker/main.js'),
        temporal: processes('.tools/bin/temporal-server'),
      };
      const samplers = Object.fromEntries(
        Object.entries(groups).map(([k, pids]) => [k, pids.map((pid) => new RssSampler(pid, 2000).start())]),
      ) as Record<keyof typeof groups, RssSampler[]>;
      const from = await api.localConnection('src', fs.realpathSync(path.join(files, 'src')));
      const to = await api.localConnection('dst', fs.realpathSync(path.join(files, 'dst')));
      log(`copying ${tree.files} files with ${groups.workers.length} workers…`);
      const t0 = Date.now();
      const started = await api.startMigration(
        { connection_id: from, path: '/' },
        { connection_id: to, path: '/' },
      );
      const done = await api.waitForMigration(started.id, { everyMs: 5000, timeoutMs: 3 * 60 * 60_000 });
      const wallMs = Date.parse(done.finished_at ?? new Date().toISOString()) - t0;
      const memory = Object.fromEntries(Object.entries(samplers).map(([k, s]) => [k, summed(s)])) as Record<
        keyof typeof groups,
        ReturnType<typeof summed>
      >;
      log(`  ${done.status} in ${seconds(wallMs)} s; reading the history of every run…`);
      const runs = await runChain('127.0.0.1:7233', migrationWorkflowId(done.id));
      const identical =
        (await digestTree(path.join(files, 'src'))).sha256 ===
        (await digestTree(path.join(files, 'dst'))).sha256;
      const store = await itemBytes();
      const copied = done.progress.files_copied;
      const maxEvents = Math.max(...runs.map((r) => r.events));
      const ok = done.status === 'completed' && copied === tree.files && identical;
      return {
        parameters: {
          ...spec,
          files: tree.files,
          workers: groups.workers.length,
          temporalProcesses: groups.temporal.length,
        },
        metrics: [
          { name: 'status; files copied', value: `${done.status}; ${copied}` },
          { name: 'destination identical to the source', value: String(identical) },
          { name: 'wall time', value: seconds(wallMs), unit: 's' },
          { name: 'files copied per second', value: Math.round(copied / (wallMs / 1000)) },
          { name: 'workflow runs', value: runs.length },
          {
            name: 'history events per run (max / mean)',
            value: `${maxEvents} / ${Math.round(runs.reduce((n, r) => n + r.events, 0) / runs.length)}`,
          },
          { name: 'workers: RSS summed, by quarter (max, MB)', value: memory.workers.quarters.join(' / ') },
          { name: 'workers: largest one peak RSS', value: memory.workers.largestPeakMb, unit: 'MB' },
          {
            name: 'Temporal server processes: RSS summed, by quarter (max, MB)',
            value: memory.temporal.quarters.join(' / '),
          },
          {
            name: 'store (PostgreSQL): items, table and indexes, per million items',
            value: mb((store / Math.max(1, copied)) * 1e6),
            unit: 'MB',
          },
        ],
        targets: [
          { name: 'files copied, destination identical', value: ok ? 1 : 0, target: '= 1', met: ok },
          {
            name: 'history events, largest run',
            value: maxEvents,
            target: `< ${MAX_RUN_EVENTS}`,
            met: maxEvents < MAX_RUN_EVENTS,
          },
          ...(['workers', 'temporal'] as const).map((k) => ({
            name: `${k === 'workers' ? 'workers' : 'Temporal server'} RSS growth, summed (last ÷ 2nd quarter)`,
            value: memory[k].growth,
            target: `≤ ${FLAT_GROWTH}`,
            met: memory[k].growth !== null && memory[k].growth <= FLAT_GROWTH,
          })),
        ],
        details: { tree, runs: runs.map((r) => r.events), memory },
      };
    } finally {
      await stopCluster(cluster);
    }
  },
};

/** The pids of running processes whose command line contains `marker`. */
function processes(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The processes' RSS summed at each sample time, by quarter of the run; and the largest one's peak. */
function summed(samplers: RssSampler[]) {
  const peaks = samplers.map((s) => s.stop().peakRss ?? 0);
  const series =
    samplers[0]?.samples.map((_, i) => samplers.reduce((n, s) => n + (s.samples[i]?.rss ?? 0), 0)) ?? [];
  const quarter = (q: number) =>
    series.slice(Math.floor((q * series.length) / 4), Math.floor(((q + 1) * series.length) / 4));
  const quarters = [0, 1, 2, 3].map((q) => mb(Math.max(0, ...quarter(q))));
  const [, second, , last] = quarters;
  return {
    quarters,
    growth: second && last ? Math.round((last / second) * 100) / 100 : null,
    largestPeakMb: mb(Math.max(0, ...peaks)),
  };
}

/** Bytes of the store's per-file item rows (tables and their indexes). */
async function itemBytes(): Promise<number> {
  const client = new Client({ connectionString: STORE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      "select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c where c.relkind = 'r' and c.relname like 'migration_items%'",
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}
