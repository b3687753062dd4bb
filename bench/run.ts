// `npm run bench [-- <names…>] [--rate R] [--scale f] [--keep]`: runs the named benchmarks (all by
// default) one after another, each on a fresh stack of processes and a fresh temp dir, and writes each
// one's JSON and markdown under bench/results/. Never part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { cloudListing } from './cloud-listing';
import { cloudRateLimit } from './cloud-rate-limit';
import { clusterFaults } from './cluster-faults';
import { clusterMillion } from './cluster-million';
import { clusterThroughput } from './cluster-throughput';
import { localLargeFile } from './local-large-file';
import { localSmallFiles } from './local-small-files';
import { million } from './million';
import { tenantFairness } from './tenant-fairness';
import { machineInfo } from './lib/machine';
import { log } from './lib/log';
import { writeResult } from './lib/results';
import { projectRoot } from './lib/stack';
import type { Benchmark, BenchOptions } from './lib/types';

/** In the order; `npm run bench -- 2` is the second. */
export const BENCHMARKS: Benchmark[] = [
  localSmallFiles,
  localLargeFile,
  cloudRateLimit,
  million,
  cloudListing,
  clusterFaults,
  tenantFairness,
  clusterThroughput,
  clusterMillion,
];
const RESULTS_DIR = path.join(projectRoot, 'bench/results');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function select(names: string[]): Benchmark[] {
  if (names.length === 0) return BENCHMARKS;
  return names.map((name) => {
    const found = /^\d+$/.test(name) ? BENCHMARKS[Number(name) - 1] : BENCHMARKS.find((b) => b.name === name);
    if (!found) {
      const known = BENCHMARKS.map((b, i) => `${i + 1}. ${b.name}`).join(', ');
      throw new InvalidArgumentError(`unknown benchmark "${name}" (known: ${known})`);
    }
    return found;
  });
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .description('Benchmarks against rclone and emulated quotas; results go to bench/results/.')
    .argument('[names...]', 'benchmarks by name or number (default: all)')
    .option('--rate <R>', 'requests/s each emulator allows (benchmarks 3 and 5)', positive, 50)
    .option(
      '--scale <factor>',
      'multiply file counts and sizes (results then go to *.tmp files)',
      positive,
      1,
    )
    .option('--keep', 'keep the temp dirs (data, databases, logs)', false)
    .option('--list', 'list the benchmarks and exit', false)
    .parse();
  const opts = program.opts<BenchOptions & { list: boolean }>();
  if (opts.list) {
    BENCHMARKS.forEach((b, i) => process.stdout.write(`${i + 1}. ${b.name} — ${b.title}\n`));
    return;
  }
  const chosen = select(program.args);
  const options: BenchOptions = { rate: opts.rate, scale: opts.scale, keep: opts.keep };
  const scratch = options.scale !== 1;
  const machine = await machineInfo(projectRoot);
  log(
    `${machine.cores} × ${machine.cpuModel}, Node ${machine.node}, ${machine.rclone ?? 'rclone not found'}`,
  );
  if (!machine.rclone && chosen.some((b) => b.name.startsWith('local-')))
    throw new Error('rclone is not installed (benchmarks 1 and 2 compare against `rclone copy`)');

  let failures = 0;
  for (const bench of chosen) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mc-bench-${bench.name}-`));
    log(`── ${bench.title} (temp dir ${dir})`);
    const startedAt = new Date().toISOString();
    // Other work on the machine shares its cores: the load average says how much there was.
    const loadAtStart = os.loadavg();
    log(`load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`);
    try {
      const measured = await bench.run({ dir, options });
      const result = {
        name: bench.name,
        title: bench.title,
        startedAt,
        finishedAt: new Date().toISOString(),
        machine,
        loadAverage: { start: loadAtStart, end: os.loadavg() },
        ...measured,
      };
      for (const t of result.targets)
        log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.value} (wanted ${t.target})`);
      for (const file of await writeResult(RESULTS_DIR, result, scratch))
        log(`wrote ${path.relative(projectRoot, file)}`);
    } catch (err) {
      failures++;
      log(`${bench.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } finally {
      if (options.keep) log(`kept ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.exitCode = failures ? 1 : 0;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
