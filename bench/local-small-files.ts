// Benchmark 1: local → local, 10,000 files of 4–10 KB in 20 folders, against `rclone copy --transfers 8`.
// Target: the orchestrator within 2× rclone's wall time (medians of interleaved pairs).
import path from 'node:path';
import { digestTree, writeSmallFiles } from './lib/data';
import { fsyncCost } from './lib/diagnostics';
import { interleavedPairs, median, spread } from './lib/interleaved';
import {
  compareWithRclone,
  dropCaches,
  flushDisk,
  migrateOn,
  warmUp,
  type OrchestratorRun,
} from './lib/local-vs-rclone';
import { cpu, mb, round2, seconds } from './lib/format';
import { log } from './lib/log';
import { rcloneCopy, type RcloneRun } from './lib/rclone';
import { startStack } from './lib/stack';
import { scaled, type Benchmark } from './lib/types';

export const localSmallFiles: Benchmark = {
  name: 'local-small-files',
  title: 'Benchmark 1 — local → local, many small files, against rclone',
  async run({ dir, options }) {
    const parameters = {
      files: scaled(10_000, options.scale),
      folders: 20,
      minSize: 4 * 1024,
      maxSize: 10 * 1024,
      seed: 1,
    };
    const dataRoot = path.join(dir, 'data');
    log(`writing ${parameters.files} files in ${parameters.folders} folders…`);
    const tree = writeSmallFiles(path.join(dataRoot, 'src'), parameters);
    // The default (LOCAL_FSYNC=batch), then the other durability settings on the same data, and the
    // streaming copy of every file (no copy threads), as before them.
    const c = await compareWithRclone(dir, dataRoot, {
      rcloneArgs: RCLONE_ARGS,
      orchestratorVariants: [{ LOCAL_FSYNC: 'file' }, { LOCAL_FSYNC: 'off' }, { LOCAL_COPY_THREADS: '0' }],
    });
    const more = await morePairs(dir, dataRoot);
    const rcloneWall = [c.rcloneMs, ...more.rclone.map((r) => r.wallMs)];
    const mcWall = [c.orchestratorMs, ...more.mc.map((r) => r.wallMs)];
    const ratio = median(mcWall) / median(rcloneWall);
    const allGood =
      [c, ...more.mc].every((r) => r.status === 'completed') && c.identical.orchestrator && more.identical;
    const mcCpu = [c.cpuMs, ...more.mc.map((r) => r.cpuMs)].map((x) => (x.worker ?? 0) + (x.temporal ?? 0));
    // What the local connector's durable writes cost per file here, against rclone's plain writes.
    const fsync = fsyncCost(path.join(dataRoot, 'probe'));
    log(
      `per file: plain write ${fsync.plainMsPerFile} ms, write + fsync + rename + folder fsync ${fsync.durableMsPerFile} ms`,
    );
    const copies = c.history?.activities.copyFiles;
    const rate = (ms: number) => Math.round(tree.files / (ms / 1000));
    return {
      parameters: { ...parameters, bytes: tree.bytes },
      metrics: [
        {
          name: `interleaved pairs (${rcloneWall.length}, sync before each copy): rclone ${RCLONE_ARGS.join(' ')} wall min / median`,
          value: spread(rcloneWall),
          unit: 's',
        },
        { name: 'orchestrator (defaults) wall min / median', value: spread(mcWall), unit: 's' },
        {
          name: "each new worker's first migration, untimed warm-up (300 files; pays the JIT)",
          value: [c.warmUpMs, more.warmUpMs].map((ms) => (ms === undefined ? '?' : seconds(ms))).join(', '),
          unit: 's',
        },
        { name: 'ratio orchestrator / rclone (medians)', value: round2(ratio) },
        {
          name: 'orchestrator CPU per file, worker + Temporal: min / median',
          value: `${round2(Math.min(...mcCpu) / tree.files)} / ${round2(median(mcCpu) / tree.files)}`,
          unit: 'ms',
        },
        {
          name: 'cold cache (page cache dropped before each copy): rclone / orchestrator wall',
          value: more.cold
            ? `${seconds(more.cold.rclone.wallMs)} / ${seconds(more.cold.mc.wallMs)}`
            : 'not measured',
          unit: 's',
        },
        { name: 'first pair: rclone copy wall time', value: seconds(c.rcloneMs), unit: 's' },
        { name: 'orchestrator wall time (POST → final)', value: seconds(c.orchestratorMs), unit: 's' },
        { name: 'ratio orchestrator / rclone', value: round2(c.ratio) },
        { name: 'rclone files/s', value: rate(c.rcloneMs) },
        { name: 'orchestrator files/s', value: rate(c.orchestratorMs) },
        { name: 'migration status', value: c.status },
        { name: 'files copied / failed', value: `${c.filesCopied} / ${c.filesFailed}` },
        {
          name: 'destinations identical to source (rclone, orchestrator)',
          value: `${c.identical.rclone}, ${c.identical.orchestrator}`,
        },
        { name: 'worker peak RSS', value: mb(c.worker.peakRss), unit: 'MB' },
        { name: 'workflow history events (last run)', value: c.history?.events ?? null },
        {
          name: 'copy activities (summed run time)',
          value: copies ? `${copies.count} (${seconds(copies.runMs)} s)` : null,
        },
        {
          name: 'rclone CPU (all threads)',
          value: c.rcloneCpuMs === null ? null : seconds(c.rcloneCpuMs),
          unit: 's',
        },
        { name: 'CPU during the migration: worker / Temporal / API', value: cpu(c.cpuMs) },
        {
          name: 'worker CPU by thread: JS main / copy threads / thread pool and V8 helpers / Temporal core',
          value: cpu({
            main: c.workerThreadCpuMs.main ?? null,
            // Named by connectors/local/copy-thread.ts.
            copy: c.workerThreadCpuMs['mc-copy'] ?? 0,
            pool: c.workerThreadCpuMs.node ?? null,
            core: c.workerThreadCpuMs['tokio-runtime-w'] ?? null,
          }),
        },
        {
          name: 'worker + Temporal CPU per file',
          value:
            c.cpuMs.worker === null || c.cpuMs.temporal === null
              ? null
              : round2((c.cpuMs.worker + c.cpuMs.temporal) / tree.files),
          unit: 'ms',
        },
        ...c.orchestratorVariants.map((v) => ({
          name: `orchestrator with ${Object.entries(v.env)
            .map(([k, x]) => `${k}=${x}`)
            .join(' ')}: wall time, ratio, worker CPU (JS main thread), Temporal CPU`,
          value: `${seconds(v.wallMs)} s, ${round2(v.ratio)}, ${cpu({ w: v.cpuMs.worker })} (${cpu({
            m: v.workerThreadCpuMs.main ?? null,
          })}), ${cpu({ t: v.cpuMs.temporal })}${
            v.status === 'completed' && v.identical ? '' : ` (${v.status}, identical: ${v.identical})`
          }`,
        })),
        {
          name: 'per-file write, plain vs durable (fsync + rename + folder fsync)',
          value: `${fsync.plainMsPerFile} / ${fsync.durableMsPerFile}`,
          unit: 'ms',
        },
      ],
      targets: [
        {
          name: 'wall time ÷ rclone --transfers 8 (medians; LOCAL_FSYNC=batch, rclone never fsyncs)',
          value: round2(ratio),
          target: '≤ 2',
          met: ratio <= 2 && allGood,
        },
      ],
      details: { comparison: c, fsync, repeats: more },
    };
  },
};

const RCLONE_ARGS = ['--transfers', '8'];
const REPEATS = Number(process.env.BENCH_REPEATS) || 5;

/**
 * The pairs after the first (which compareWithRclone ran, each on a fresh stack): on one stack, order
 * alternating, every destination kept (creating files right after mass deletions is slow on this VM);
 * then one pair with the page cache dropped before each copy, where permitted.
 */
async function morePairs(dir: string, dataRoot: string) {
  const src = path.join(dataRoot, 'src');
  const source = (await digestTree(src)).sha256;
  const stack = await startStack({ dir: path.join(dir, 'stack-repeats'), localRoots: [dataRoot] });
  const warmUpMs = await warmUp(stack, dataRoot);
  let n = 0;
  // Each copy starts with nothing dirty: neither pays, untimed, for the other's write-back (a syncfs
  // of ours would otherwise write rclone's last copy out).
  const rclone = () => (flushDisk(), rcloneCopy(src, path.join(dataRoot, `rclone-r${++n}`), RCLONE_ARGS));
  const mc = () => (
    flushDisk(),
    migrateOn(stack, { src, dst: path.join(dataRoot, `mc-r${++n}`), env: {} }, source)
  );
  try {
    const [rclones, mcs] = await interleavedPairs<RcloneRun, OrchestratorRun>(REPEATS - 1, rclone, mc);
    let cold: { rclone: RcloneRun; mc: OrchestratorRun } | undefined;
    if (dropCaches()) {
      const r = await rclone();
      dropCaches();
      cold = { rclone: r, mc: await mc() };
    }
    const identical = [...mcs, ...(cold ? [cold.mc] : [])].every((r) => r.identical);
    return { rclone: rclones, mc: mcs, cold, identical, warmUpMs };
  } finally {
    await stack.stop();
  }
}
