// Benchmark 2: local → local, one 1 GiB file, against `rclone copy`, and the worker's peak memory.
// Targets: within 1.1× rclone's wall time; worker peak RSS under 300 MB.
import path from 'node:path';
import { writeLargeFile } from './lib/data';
import { compareWithRclone } from './lib/local-vs-rclone';
import { cpu, mb, round2, seconds } from './lib/format';
import { log } from './lib/log';
import { scaled, type Benchmark } from './lib/types';

const RSS_LIMIT_BYTES = 300e6;

export const localLargeFile: Benchmark = {
  name: 'local-large-file',
  title: 'Benchmark 2 — local → local, one 1 GiB file, against rclone; worker memory',
  async run({ dir, options }) {
    const parameters = { bytes: scaled(1024 ** 3, options.scale), seed: 2 };
    const dataRoot = path.join(dir, 'data');
    log(`writing one file of ${parameters.bytes} bytes…`);
    await writeLargeFile(path.join(dataRoot, 'src'), 'large.bin', parameters.seed, parameters.bytes);
    // rclone verifies local copies by MD5 on both sides; the variant shows what that costs.
    // And the orchestrator without fsync (LOCAL_FSYNC=off, as rclone writes): what durability costs.
    const c = await compareWithRclone(dir, dataRoot, {
      rcloneVariants: [['--ignore-checksum']],
      orchestratorVariants: [{ LOCAL_FSYNC: 'off' }],
      removeBetweenCopies: true,
    });
    const plain = c.rcloneVariants[0];
    const mibps = (ms: number) => Math.round(parameters.bytes / 1024 ** 2 / (ms / 1000));
    const peak = c.worker.peakRss;
    return {
      parameters,
      metrics: [
        { name: 'rclone copy wall time', value: seconds(c.rcloneMs), unit: 's' },
        { name: 'orchestrator wall time (POST → final)', value: seconds(c.orchestratorMs), unit: 's' },
        { name: 'ratio orchestrator / rclone', value: round2(c.ratio) },
        { name: 'rclone throughput', value: mibps(c.rcloneMs), unit: 'MiB/s' },
        { name: 'orchestrator throughput', value: mibps(c.orchestratorMs), unit: 'MiB/s' },
        { name: 'rclone copy --ignore-checksum wall time', value: seconds(plain.wallMs), unit: 's' },
        {
          name: 'ratio orchestrator / rclone --ignore-checksum',
          value: round2(c.orchestratorMs / plain.wallMs),
        },
        ...c.orchestratorVariants.map((v) => ({
          name: 'orchestrator with LOCAL_FSYNC=off: wall time, ratio, worker peak RSS',
          value: `${seconds(v.wallMs)} s, ${round2(v.ratio)}, ${mb(v.worker.peakRss)} MB`,
        })),
        { name: 'migration status', value: c.status },
        {
          name: 'rclone CPU (all threads)',
          value: c.rcloneCpuMs === null ? null : seconds(c.rcloneCpuMs),
          unit: 's',
        },
        { name: 'CPU during the migration: worker / Temporal / API', value: cpu(c.cpuMs) },
        {
          name: 'destinations identical to source (rclone, orchestrator)',
          value: `${c.identical.rclone}, ${c.identical.orchestrator}`,
        },
        {
          name: 'worker peak RSS before the migration (VmHWM)',
          value: mb(c.worker.peakRssBeforeMigration),
          unit: 'MB',
        },
        { name: 'worker peak RSS (VmHWM)', value: mb(peak), unit: 'MB' },
      ],
      targets: [
        {
          name: 'wall time ÷ rclone',
          value: round2(c.ratio),
          target: '≤ 1.1',
          met: c.ratio <= 1.1 && c.status === 'completed' && c.identical.orchestrator,
        },
        {
          name: 'worker peak RSS (MB)',
          value: mb(peak),
          target: '< 300',
          met: peak !== null && peak < RSS_LIMIT_BYTES,
        },
      ],
      details: { comparison: c },
    };
  },
};
