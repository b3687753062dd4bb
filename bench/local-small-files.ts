// Benchmark 1: local → local, 10,000 files of 4–10 KB in 20 folders, against `rclone copy`.
// Target: the orchestrator within 2× rclone's wall time.
import path from 'node:path';
import { writeSmallFiles } from './lib/data';
import { fsyncCost } from './lib/diagnostics';
import { compareWithRclone } from './lib/local-vs-rclone';
import { cpu, mb, round2, seconds } from './lib/format';
import { log } from './lib/log';
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
    // The default (LOCAL_FSYNC=batch), then the other durability settings on the same data.
    const c = await compareWithRclone(dir, dataRoot, {
      orchestratorVariants: [{ LOCAL_FSYNC: 'file' }, { LOCAL_FSYNC: 'off' }],
    });
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
        { name: 'rclone copy wall time', value: seconds(c.rcloneMs), unit: 's' },
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
          name: 'worker CPU by thread: JS main / thread pool and V8 helpers / Temporal core',
          value: cpu({
            main: c.workerThreadCpuMs.main ?? null,
            pool: c.workerThreadCpuMs.node ?? null,
            core: c.workerThreadCpuMs['tokio-runtime-w'] ?? null,
          }),
        },
        ...c.orchestratorVariants.map((v) => ({
          name: `orchestrator with ${Object.entries(v.env)
            .map(([k, x]) => `${k}=${x}`)
            .join(' ')}: wall time, ratio, worker CPU`,
          value: `${seconds(v.wallMs)} s, ${round2(v.ratio)}, ${cpu({ w: v.cpuMs.worker })}${
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
          name: 'wall time ÷ rclone',
          value: round2(c.ratio),
          target: '≤ 2',
          met: c.ratio <= 2 && c.status === 'completed' && c.identical.orchestrator,
        },
      ],
      details: { comparison: c, fsync },
    };
  },
};
