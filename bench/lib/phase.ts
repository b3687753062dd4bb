// One migration through a fresh stack (benchmark 4): started over the API, awaited, and measured from
// outside — wall time, every run's history (runs.ts), and the worker's and the Temporal server's memory
// over time, to show whether it stays flat. A fresh stack per phase keeps each phase's peaks its own.
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationView } from './api-client';
import { mb } from './format';
import { log } from './log';
import { readProcCpuMs, RssSampler } from './rss';
import { runChain, type RunStats } from './runs';
import { startStack } from './stack';
import { migrationWorkflowId } from '../../contract';

export interface MemoryTrace {
  peakRss: number | null;
  /** Largest sample in each quarter of the phase, MB: flat memory keeps the later quarters level. */
  quarterMaxMb: (number | null)[];
  /** Last quarter's largest sample ÷ second quarter's (the first holds the warm-up). */
  growth: number | null;
  /** Every 10th sample: [seconds since start, MB]. */
  series: [number, number | null][];
}

export interface PhaseResult {
  migration: MigrationView;
  wallMs: number;
  runs: RunStats[];
  worker: MemoryTrace;
  temporal: MemoryTrace;
  cpuMs: { worker: number | null; temporal: number | null; api: number | null };
}

export async function runPhase(opts: {
  dir: string;
  dataRoot: string;
  sourceRoot: string;
  sourcePath: string;
  destinationRoot: string;
  options?: Record<string, unknown>;
}): Promise<PhaseResult> {
  fs.mkdirSync(opts.destinationRoot, { recursive: true });
  const stack = await startStack({ dir: opts.dir, localRoots: [opts.dataRoot] });
  try {
    const from = await stack.api.localConnection('source', opts.sourceRoot);
    const to = await stack.api.localConnection('destination', opts.destinationRoot);
    const pids = { worker: stack.workerPid, temporal: stack.temporalPid, api: stack.apiPid };
    const samplers = {
      worker: new RssSampler(pids.worker, 1000).start(),
      temporal: new RssSampler(pids.temporal, 1000).start(),
    };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, readProcCpuMs(pid)]));
    const t0 = Date.now();
    const started = await stack.api.startMigration(
      { connection_id: from, path: opts.sourcePath },
      { connection_id: to, path: '/' },
      opts.options,
    );
    const migration = await stack.api.waitForMigration(started.id, {
      everyMs: 2000,
      assertAlive: stack.assertAlive,
      timeoutMs: 6 * 60 * 60_000,
    });
    const wallMs = migration.finished_at ? Date.parse(migration.finished_at) - t0 : Date.now() - t0;
    const cpuMs = Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => {
        const [a, b] = [cpuBefore[k], readProcCpuMs(pid)];
        return [k, a === undefined || b === undefined ? null : b - a];
      }),
    ) as PhaseResult['cpuMs'];
    const worker = trace(samplers.worker);
    const temporal = trace(samplers.temporal);
    log(`  ${migration.status} in ${Math.round(wallMs / 1000)} s; reading the history of every run…`);
    const runs = await runChain(stack.temporalAddress, migrationWorkflowId(migration.id));
    return { migration, wallMs, runs, worker, temporal, cpuMs };
  } finally {
    await stack.stop();
  }
}

function trace(sampler: RssSampler): MemoryTrace {
  const { peakRss } = sampler.stop();
  const samples = sampler.samples;
  const end = samples.length ? samples[samples.length - 1].atMs : 0;
  const quarterMaxMb = [0, 1, 2, 3].map((q) => {
    const inQuarter = samples.filter((s) => s.atMs >= (q * end) / 4 && s.atMs <= ((q + 1) * end) / 4);
    return inQuarter.length ? mb(Math.max(...inQuarter.map((s) => s.rss))) : null;
  });
  const [, second, , last] = quarterMaxMb;
  return {
    peakRss,
    quarterMaxMb,
    growth: second && last ? Math.round((last / second) * 100) / 100 : null,
    series: samples
      .filter((_, i) => i % 10 === 0)
      .map((s) => [Math.round(s.atMs / 1000), mb(s.rss)] as [number, number | null]),
  };
}

export const destinationOf = (dataRoot: string, name: string) => path.join(dataRoot, `dst-${name}`);
