// Benchmark 7: one tenant's large backlog against another tenant's small migration, on one worker. Account
// A starts a migration of 200,000 tiny files; once its copies are under way, account B starts one of 200
// files, three times in a row. B's time to complete is compared with B's time on an idle stack (medians
// of three). What keeps B's wait short: each migration holds at most `concurrency` copy activities (and up
// to eight explorations) in the task queue at a time, so B's activities queue behind a few of A's, not
// behind A's backlog, which waits in A's workflow and in the store.
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, type MigrationView } from './lib/api-client';
import { writeSmallFiles } from './lib/data';
import { median } from './lib/interleaved';
import { round2, seconds } from './lib/format';
import { log } from './lib/log';
import { historyStats } from './lib/history';
import { migrationWorkflowId } from '../contract';
import { createAccount, startStack, type Stack } from './lib/stack';
import { writeTinyTree } from './lib/tiny-tree';
import { scaled, type Benchmark } from './lib/types';

const REPEATS = 3;

export const tenantFairness: Benchmark = {
  name: 'tenant-fairness',
  title:
    "Benchmark 7 — fairness between tenants: a 200-file migration beside another account's 200,000 files",
  async run({ dir, options }) {
    const big = { parts: scaled(20, options.scale), foldersPerPart: 100, filesPerFolder: 100 };
    const parameters = {
      aFiles: big.parts * big.foldersPerPart * big.filesPerFolder,
      bFiles: 200,
      repeats: REPEATS,
    };
    const data = path.join(dir, 'data');
    log(`writing A's ${parameters.aFiles} files and B's ${parameters.bFiles}…`);
    writeTinyTree(path.join(data, 'a-src'), big);
    writeSmallFiles(path.join(data, 'b-src'), {
      seed: 7,
      files: parameters.bFiles,
      folders: 4,
      minSize: 1024,
      maxSize: 8192,
    });
    const stack = await startStack({ dir: path.join(dir, 'stack'), localRoots: [data] });
    try {
      const a = stack.api;
      const b = new ApiClient(stack.apiUrl, await createAccount(stack.databaseUrl, [data], 'Tenant B'));
      const bSrc = await b.localConnection('b-src', fs.realpathSync(path.join(data, 'b-src')));
      let n = 0;
      const runB = async () => {
        const dst = path.join(data, `b-dst-${++n}`);
        fs.mkdirSync(dst);
        const to = await b.localConnection(`b-dst-${n}`, fs.realpathSync(dst));
        const started = await b.startMigration(
          { connection_id: bSrc, path: '/' },
          { connection_id: to, path: '/' },
        );
        const done = await b.waitForMigration(started.id, { everyMs: 200, assertAlive: stack.assertAlive });
        // Where B's time went: its activities waiting for a worker slot and dispatch, and running.
        const h = await historyStats(stack.temporalAddress, migrationWorkflowId(done.id));
        const acts = Object.values(h.activities);
        const activityWaitMs = acts.reduce((n, a) => n + a.waitMs, 0);
        const activityRunMs = acts.reduce((n, a) => n + a.runMs, 0);
        return {
          ms: Date.parse(done.finished_at!) - Date.parse(done.created_at),
          done,
          activityWaitMs,
          activityRunMs,
        };
      };
      log('B alone…');
      const alone = [];
      for (let i = 0; i < REPEATS; i++) alone.push(await runB());

      log("A's backlog…");
      const aMigration = await startBig(stack, a, data);
      await waitForCopies(a, aMigration.id, 5_000);
      log('B beside A…');
      const beside = [];
      for (let i = 0; i < REPEATS; i++) beside.push(await runB());
      const aView = await a.getMigration(aMigration.id);
      await a.request('POST', `/v1/migrations/${aMigration.id}/cancel`);

      const aloneMs = alone.map((r) => r.ms);
      const besideMs = beside.map((r) => r.ms);
      const ratio = median(besideMs) / median(aloneMs);
      const allCompleted = [...alone, ...beside].every(
        (r) => r.done.status === 'completed' && r.done.progress.files_copied === parameters.bFiles,
      );
      return {
        parameters,
        metrics: [
          { name: 'B alone (200 files), each run', value: aloneMs.map(seconds).join(', '), unit: 's' },
          { name: "B beside A's backlog, each run", value: besideMs.map(seconds).join(', '), unit: 's' },
          { name: 'ratio, medians', value: round2(ratio) },
          {
            name: "B's activities, summed: waiting for dispatch / running (alone; beside A)",
            value: `${spent(alone)}; ${spent(beside)}`,
            unit: 's',
          },
          {
            name: "A's progress when B's last run ended",
            value: `${aView.progress.files_copied} of ${aView.progress.files_discovered}${aView.progress.listing_complete ? '' : '+'} files copied`,
          },
          { name: "B's migrations completed with every file", value: allCompleted ? 'all' : 'not all' },
        ],
        targets: [
          {
            name: "B's time beside A's backlog ÷ B alone (medians)",
            value: round2(ratio),
            target: '≤ 2',
            met: ratio <= 2 && allCompleted,
          },
        ],
        details: { alone, beside },
      };
    } finally {
      await stack.stop();
    }
  },
};

/** Median seconds B's activities waited for dispatch, and ran. */
const spent = (runs: { activityWaitMs: number; activityRunMs: number }[]) =>
  `${seconds(median(runs.map((r) => r.activityWaitMs)))} / ${seconds(median(runs.map((r) => r.activityRunMs)))}`;

async function startBig(stack: Stack, a: ApiClient, data: string): Promise<MigrationView> {
  const src = await a.localConnection('a-src', fs.realpathSync(path.join(data, 'a-src')));
  fs.mkdirSync(path.join(data, 'a-dst'));
  const dst = await a.localConnection('a-dst', fs.realpathSync(path.join(data, 'a-dst')));
  return a.startMigration({ connection_id: src, path: '/' }, { connection_id: dst, path: '/' });
}

async function waitForCopies(a: ApiClient, id: string, files: number): Promise<void> {
  for (;;) {
    const m = await a.getMigration(id);
    if (m.progress.files_copied >= files) return;
    if (m.status !== 'running' && m.status !== 'pending') throw new Error(`A's migration is ${m.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
