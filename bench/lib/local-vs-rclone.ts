// Benchmarks 1 and 2: the same source copied local → local by `rclone copy` and by a migration through
// the orchestrator (API → Temporal → worker), same machine, same run; both destinations checked
// byte for byte against the source.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { migrationWorkflowId } from '../../common/temporal';
import { digestTree } from './data';
import { historyStats, type HistoryStats } from './history';
import { seconds } from './format';
import { log } from './log';
import { rcloneCopy } from './rclone';
import { readProcCpuMs, readProcMemory, RssSampler } from './rss';
import { startStack } from './stack';

export interface LocalComparison {
  rcloneMs: number;
  rcloneArgs: string[];
  orchestratorMs: number;
  /** Seen by polling the API (at most one poll interval late). */
  orchestratorPolledMs: number;
  ratio: number;
  status: string;
  filesCopied: number;
  filesFailed: number;
  identical: { rclone: boolean; orchestrator: boolean };
  worker: { peakRssBeforeMigration: number | null; peakRss: number | null; maxSampledRss: number | null };
  /** CPU time (user + system) each process spent during the migration, ms: on a small machine they share cores. */
  cpuMs: { worker: number | null; temporal: number | null; api: number | null };
  /** rclone again with other flags, to show what its defaults spend time on. */
  rcloneVariants: { args: string[]; wallMs: number }[];
  history: HistoryStats | null;
}

/** `dataRoot` holds the source in `src/`; destinations are made beside it. */
export async function compareWithRclone(
  dir: string,
  dataRoot: string,
  opts: { rcloneVariants?: string[][] } = {},
): Promise<LocalComparison> {
  const src = path.join(dataRoot, 'src');
  const source = await digestTree(src);
  flushDisk();

  log('rclone copy…');
  const rcloneDst = path.join(dataRoot, 'rclone-dst');
  const rclone = await rcloneCopy(src, rcloneDst);
  log(`rclone: ${seconds(rclone.wallMs)} s`);
  const rcloneSame = (await digestTree(rcloneDst)).sha256 === source.sha256;
  fs.rmSync(rcloneDst, { recursive: true, force: true });
  flushDisk();
  const rcloneVariants = [];
  for (const extra of opts.rcloneVariants ?? []) {
    const variant = await rcloneCopy(src, rcloneDst, extra);
    log(`rclone ${extra.join(' ')}: ${seconds(variant.wallMs)} s`);
    rcloneVariants.push(variant);
    fs.rmSync(rcloneDst, { recursive: true, force: true });
    flushDisk();
  }

  const stack = await startStack({ dir: path.join(dir, 'stack'), localRoots: [dataRoot] });
  try {
    const mcDst = path.join(dataRoot, 'mc-dst');
    fs.mkdirSync(mcDst);
    const from = await stack.api.localConnection('bench source', src);
    const to = await stack.api.localConnection('bench destination', mcDst);
    const before = readProcMemory(stack.workerPid);
    const sampler = new RssSampler(stack.workerPid).start();
    const pids = { worker: stack.workerPid, temporal: stack.temporalPid, api: stack.apiPid };
    const cpuBefore = cpuOf(pids);
    log('migration through the orchestrator…');
    const t0 = Date.now();
    const started = await stack.api.startMigration(
      { connection_id: from, path: '/' },
      { connection_id: to, path: '/' },
    );
    const final = await stack.api.waitForMigration(started.id, {
      everyMs: 1000,
      assertAlive: stack.assertAlive,
    });
    const polledMs = Date.now() - t0;
    const memory = sampler.stop();
    const cpuAfter = cpuOf(pids);
    const cpuMs = {
      worker: delta(cpuBefore.worker, cpuAfter.worker),
      temporal: delta(cpuBefore.temporal, cpuAfter.temporal),
      api: delta(cpuBefore.api, cpuAfter.api),
    };
    // The store records the final status the moment the workflow ends: a precise end on the same clock.
    const orchestratorMs = final.finished_at ? Date.parse(final.finished_at) - t0 : polledMs;
    log(`orchestrator: ${seconds(orchestratorMs)} s (${final.status})`);
    const history = await historyStats(stack.temporalAddress, migrationWorkflowId(final.id)).catch(
      (err: Error) => {
        log(`could not read the workflow history: ${err.message}`);
        return null;
      },
    );
    const mcSame = (await digestTree(mcDst)).sha256 === source.sha256;
    return {
      rcloneMs: rclone.wallMs,
      rcloneArgs: rclone.args,
      orchestratorMs,
      orchestratorPolledMs: polledMs,
      ratio: orchestratorMs / rclone.wallMs,
      status: final.status,
      filesCopied: final.progress.files_copied,
      filesFailed: final.progress.files_failed,
      identical: { rclone: rcloneSame, orchestrator: mcSame },
      worker: { peakRssBeforeMigration: before?.peakRss ?? null, ...memory },
      cpuMs,
      rcloneVariants,
      history,
    };
  } finally {
    await stack.stop();
  }
}

/** Writes back dirty pages so one copy's write-back is not billed to the next. */
function flushDisk(): void {
  execFileSync('sync');
}

function cpuOf(pids: Record<'worker' | 'temporal' | 'api', number>) {
  return {
    worker: readProcCpuMs(pids.worker),
    temporal: readProcCpuMs(pids.temporal),
    api: readProcCpuMs(pids.api),
  };
}

const delta = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : b - a;
