// Benchmarks 1 and 2: the same source copied local → local by `rclone copy` and by a migration through
// the orchestrator (API → Temporal → worker), same machine, same run; both destinations checked
// byte for byte against the source.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { digestTree, writeSmallFiles } from './data';
import { historyStats, type HistoryStats } from './history';
import { seconds } from './format';
import { log } from './log';
import { rcloneCopy } from './rclone';
import { readProcCpuMs, readProcMemory, readThreadCpuMs, RssSampler, threadCpuDelta } from './rss';
import { startStack, type Stack } from './stack';
import { migrationWorkflowId } from '../../contract';

/** One migration of the source through its own fresh stack (worker settings in `env`). */
export interface OrchestratorRun {
  env: Record<string, string>;
  wallMs: number;
  /** Seen by polling the API (at most one poll interval late). */
  polledMs: number;
  status: string;
  filesCopied: number;
  filesFailed: number;
  identical: boolean;
  worker: { peakRssBeforeMigration: number | null; peakRss: number | null; maxSampledRss: number | null };
  /** CPU time (user + system) each process spent during the migration, ms: on a small machine they share cores. */
  cpuMs: { worker: number | null; temporal: number | null; api: number | null };
  /** The worker's CPU time during the migration by thread kind (see readThreadCpuMs), ms. */
  workerThreadCpuMs: Record<string, number>;
  history: HistoryStats | null;
  /** The untimed warm-up migration before it on the same fresh stack (warmUp), ms. */
  warmUpMs?: number;
}

export interface LocalComparison {
  rcloneMs: number;
  rcloneArgs: string[];
  rcloneCpuMs: number | null;
  orchestratorMs: number;
  /** Seen by polling the API (at most one poll interval late). */
  orchestratorPolledMs: number;
  ratio: number;
  status: string;
  filesCopied: number;
  filesFailed: number;
  identical: { rclone: boolean; orchestrator: boolean };
  worker: OrchestratorRun['worker'];
  cpuMs: OrchestratorRun['cpuMs'];
  workerThreadCpuMs: Record<string, number>;
  /** rclone again with other flags, to show what its defaults spend time on. */
  rcloneVariants: { args: string[]; wallMs: number }[];
  /** The orchestrator again with other worker settings (e.g. LOCAL_FSYNC), each on a fresh stack. */
  orchestratorVariants: (OrchestratorRun & { ratio: number })[];
  history: HistoryStats | null;
  warmUpMs?: number;
}

/** `dataRoot` holds the source in `src/`; destinations are made beside it. */
export async function compareWithRclone(
  dir: string,
  dataRoot: string,
  opts: {
    /** Flags for the main rclone copy (e.g. `--transfers 8`). */
    rcloneArgs?: string[];
    rcloneVariants?: string[][];
    orchestratorVariants?: Record<string, string>[];
    /**
     * Few large files: remove each destination before the next copy, after writing and removing as
     * many bytes once before the first. This VM backs guest memory lazily: page cache grown into
     * memory never touched before costs several times more than pages freed by a removed file, so
     * every copy gets freed pages. Many small files keep every destination until the end instead:
     * on ext4 without a journal (this VM's disk) creating files within a minute of mass deletions
     * is several times slower (the kernel skips recently freed inodes).
     */
    removeBetweenCopies?: boolean;
  } = {},
): Promise<LocalComparison> {
  const src = path.join(dataRoot, 'src');
  const source = await digestTree(src);
  const clear = (dst: string) => {
    if (opts.removeBetweenCopies) fs.rmSync(dst, { recursive: true, force: true });
    flushDisk();
  };
  if (opts.removeBetweenCopies) {
    const scratch = path.join(dataRoot, 'scratch');
    fs.mkdirSync(scratch);
    for (const file of fs.readdirSync(src)) fs.copyFileSync(path.join(src, file), path.join(scratch, file));
    flushDisk();
    clear(scratch);
  } else flushDisk();

  log('rclone copy…');
  const rcloneDst = path.join(dataRoot, 'rclone-dst');
  const rclone = await rcloneCopy(src, rcloneDst, opts.rcloneArgs);
  log(`rclone: ${seconds(rclone.wallMs)} s`);
  const rcloneSame = (await digestTree(rcloneDst)).sha256 === source.sha256;
  clear(rcloneDst);
  const rcloneVariants = [];
  for (const [i, extra] of (opts.rcloneVariants ?? []).entries()) {
    const variant = await rcloneCopy(src, `${rcloneDst}-${i + 1}`, extra);
    log(`rclone ${extra.join(' ')}: ${seconds(variant.wallMs)} s`);
    rcloneVariants.push(variant);
    clear(`${rcloneDst}-${i + 1}`);
  }

  const run = (name: string, env: Record<string, string>) =>
    migrate(
      { dir: path.join(dir, `stack-${name}`), dataRoot, src, dst: path.join(dataRoot, name), env },
      source.sha256,
    );
  const main = await run('mc-dst', {});
  clear(path.join(dataRoot, 'mc-dst'));
  const orchestratorVariants = [];
  for (const [i, env] of (opts.orchestratorVariants ?? []).entries()) {
    const variant = await run(`mc-dst-${i + 1}`, env);
    orchestratorVariants.push({ ...variant, ratio: variant.wallMs / rclone.wallMs });
    clear(path.join(dataRoot, `mc-dst-${i + 1}`));
  }
  return {
    rcloneMs: rclone.wallMs,
    rcloneArgs: rclone.args,
    rcloneCpuMs: rclone.cpuMs,
    orchestratorMs: main.wallMs,
    orchestratorPolledMs: main.polledMs,
    ratio: main.wallMs / rclone.wallMs,
    status: main.status,
    filesCopied: main.filesCopied,
    filesFailed: main.filesFailed,
    identical: { rclone: rcloneSame, orchestrator: main.identical },
    worker: main.worker,
    cpuMs: main.cpuMs,
    workerThreadCpuMs: main.workerThreadCpuMs,
    rcloneVariants,
    orchestratorVariants,
    history: main.history,
    warmUpMs: main.warmUpMs,
  };
}

async function migrate(
  where: { dir: string; dataRoot: string; src: string; dst: string; env: Record<string, string> },
  sourceSha256: string,
): Promise<OrchestratorRun> {
  const stack = await startStack({ dir: where.dir, localRoots: [where.dataRoot], env: where.env });
  try {
    const warmUpMs = await warmUp(stack, where.dataRoot);
    return { ...(await migrateOn(stack, where, sourceSha256)), warmUpMs };
  } finally {
    await stack.stop();
  }
}

/**
 * One migration of `src` into the new folder `dst` through a running stack (started with `env`);
 * `options` are the migration's (e.g. `{ verify: 'size' }`).
 */
export async function migrateOn(
  stack: Stack,
  where: { src: string; dst: string; env: Record<string, string> },
  sourceSha256: string,
  options?: Record<string, unknown>,
): Promise<OrchestratorRun> {
  fs.mkdirSync(where.dst);
  const from = await stack.api.localConnection('bench source', where.src);
  const to = await stack.api.localConnection('bench destination', where.dst);
  const before = readProcMemory(stack.workerPid);
  const sampler = new RssSampler(stack.workerPid).start();
  const pids = { worker: stack.workerPid, temporal: stack.temporalPid, api: stack.apiPid };
  const cpuBefore = cpuOf(pids);
  const threadsBefore = readThreadCpuMs(stack.workerPid);
  const settings = Object.entries(where.env).map(([k, v]) => `${k}=${v}`);
  log(`migration through the orchestrator${settings.length ? ` (${settings.join(' ')})` : ''}…`);
  const t0 = Date.now();
  const started = await stack.api.startMigration(
    { connection_id: from, path: '/' },
    { connection_id: to, path: '/' },
    options,
  );
  const final = await stack.api.waitForMigration(started.id, {
    everyMs: 1000,
    assertAlive: stack.assertAlive,
  });
  const polledMs = Date.now() - t0;
  const memory = sampler.stop();
  const cpuAfter = cpuOf(pids);
  const workerThreadCpuMs = threadCpuDelta(threadsBefore, readThreadCpuMs(stack.workerPid));
  const cpuMs = {
    worker: delta(cpuBefore.worker, cpuAfter.worker),
    temporal: delta(cpuBefore.temporal, cpuAfter.temporal),
    api: delta(cpuBefore.api, cpuAfter.api),
  };
  // The store records the final status the moment the workflow ends: a precise end on the same clock.
  const wallMs = final.finished_at ? Date.parse(final.finished_at) - t0 : polledMs;
  log(`orchestrator: ${seconds(wallMs)} s (${final.status})`);
  const history = await historyStats(stack.temporalAddress, migrationWorkflowId(final.id)).catch(
    (err: Error) => {
      log(`could not read the workflow history: ${err.message}`);
      return null;
    },
  );
  return {
    env: where.env,
    wallMs,
    polledMs,
    status: final.status,
    filesCopied: final.progress.files_copied,
    filesFailed: final.progress.files_failed,
    identical: (await digestTree(where.dst)).sha256 === sourceSha256,
    worker: { peakRssBeforeMigration: before?.peakRss ?? null, ...memory },
    cpuMs,
    workerThreadCpuMs,
    history,
  };
}

/** Files the untimed warm-up migration copies on each new stack. */
const WARM_UP_FILES = 300;

/**
 * One small migration, untimed, on a stack just started: the worker is a long-running service, and its
 * first migration also pays for compiling its code (JIT), ~0.3–0.5 s here, which rclone (a compiled
 * binary started per copy) does not. Answers its wall time, shown beside the timed copies.
 */
export async function warmUp(stack: Stack, dataRoot: string): Promise<number> {
  const src = path.join(dataRoot, 'warm-up-src');
  if (!fs.existsSync(src))
    writeSmallFiles(src, { seed: 2, files: WARM_UP_FILES, folders: 3, minSize: 4096, maxSize: 10240 });
  let n = 0;
  while (fs.existsSync(path.join(dataRoot, `warm-up-dst-${n}`))) n++;
  const dst = path.join(dataRoot, `warm-up-dst-${n}`);
  const run = await migrateOn(stack, { src, dst, env: {} }, (await digestTree(src)).sha256);
  if (run.status !== 'completed' || !run.identical)
    throw new Error(`the warm-up migration ended ${run.status}`);
  log(`warm-up (${WARM_UP_FILES} files, untimed): ${seconds(run.wallMs)} s`);
  return run.wallMs;
}

/** Writes back dirty pages so one copy's write-back is not billed to the next. */
export function flushDisk(): void {
  execFileSync('sync');
}

/** Empties the page cache (root only): the next read comes from the disk. False where not permitted. */
export function dropCaches(): boolean {
  try {
    flushDisk();
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
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
