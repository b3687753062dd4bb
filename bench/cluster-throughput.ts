// Benchmark 8: what more worker processes buy on `npm run cluster` (two cores here). For 1, 2 and 4
// workers, on a fresh cluster each time: one local → local migration of 10,000 small files, then ten at
// once of 5,000 files each; then emulated Drive → Dropbox under a quota of R requests/s (`--rate`): one
// migration of 1,000 files and ten at once of 100. Files/s from the first start to the last final status
// (the store's clocks).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, type MigrationView } from './lib/api-client';
import { writeSmallFiles } from './lib/data';
import { seconds } from './lib/format';
import { log } from './lib/log';
import { clusterApi, startCluster, stopCluster, timedToEnd } from './lib/cluster';
import { cloudSources, migrateCloud } from './lib/cluster-cloud';
import { scaled, type Benchmark } from './lib/types';

const WORKERS = [1, 2, 4];
const CONCURRENT = 10;

export const clusterThroughput: Benchmark = {
  name: 'cluster-throughput',
  title: 'Benchmark 8 — the cluster with 1, 2 and 4 workers: one migration, and ten at once',
  async run({ dir, options }) {
    const parameters = {
      single: scaled(10_000, options.scale),
      each: scaled(5_000, options.scale),
      concurrent: CONCURRENT,
      cloudSingle: scaled(1_000, options.scale),
      cloudEach: scaled(100, options.scale),
      ratePerSecond: options.rate,
    };
    const data = path.join(dir, 'data');
    const files = path.join(data, 'files');
    log('writing the sources…');
    writeSmallFiles(path.join(files, 'single'), {
      seed: 8,
      files: parameters.single,
      folders: 20,
      minSize: 4096,
      maxSize: 10240,
    });
    writeSmallFiles(path.join(files, 'each'), {
      seed: 9,
      files: parameters.each,
      folders: 10,
      minSize: 4096,
      maxSize: 10240,
    });

    const cloud = await cloudSources(parameters.cloudSingle, parameters.cloudEach, options.rate);
    const rows: {
      workers: number;
      singleFilesPerS: number;
      singleS: number;
      tenFilesPerS: number;
      tenS: number;
      cloudSingleFilesPerS: number;
      cloudTenFilesPerS: number;
      throttled: number;
      allCompleted: boolean;
    }[] = [];
    try {
      for (const workers of WORKERS) {
        const cluster = startCluster(dir, data, workers, cloud.env);
        try {
          const api = await clusterApi(cluster, data);
          log(`${workers} worker(s): one migration…`);
          const single = await migrateAll(api, files, 'single', [`w${workers}-single`]);
          execFileSync('sync');
          log(`${workers} worker(s): ${CONCURRENT} at once…`);
          const ten = await migrateAll(
            api,
            files,
            'each',
            Array.from({ length: CONCURRENT }, (_, i) => `w${workers}-ten-${i}`),
          );
          log(
            `${workers} worker(s): Drive → Dropbox at ${options.rate} requests/s, one migration, then ten…`,
          );
          const ids = await cloud.connect(api);
          await cloud.limit(options.rate);
          const cloudOne = await migrateCloud(api, ids, [['/single', `/w${workers}-single`]]);
          const tenPairs = Array.from({ length: CONCURRENT }, (_, i): [string, string] => [
            `/ten-${i}`,
            `/w${workers}-ten-${i}`,
          ]);
          const cloudTen = await migrateCloud(api, ids, tenPairs);
          const throttled = await cloud.throttled();
          const arrived =
            cloud.identical('/single', `/w${workers}-single`) === parameters.cloudSingle &&
            tenPairs.every(([from, to]) => cloud.identical(from, to) === parameters.cloudEach);
          rows.push({
            workers,
            cloudSingleFilesPerS: Math.round(parameters.cloudSingle / (cloudOne.ms / 1000)),
            cloudTenFilesPerS: Math.round((parameters.cloudEach * CONCURRENT) / (cloudTen.ms / 1000)),
            throttled,
            singleS: seconds(single.ms),
            singleFilesPerS: Math.round(parameters.single / (single.ms / 1000)),
            tenS: seconds(ten.ms),
            tenFilesPerS: Math.round((parameters.each * CONCURRENT) / (ten.ms / 1000)),
            allCompleted:
              arrived &&
              [...single.views, ...ten.views, ...cloudOne.views, ...cloudTen.views].every(
                (v) => v.status === 'completed' && v.progress.files_failed === 0,
              ),
          });
        } finally {
          await stopCluster(cluster);
        }
      }
    } finally {
      await cloud.close();
    }
    const allCompleted = rows.every((r) => r.allCompleted);
    return {
      parameters,
      metrics: rows.flatMap((r) => [
        {
          name: `${r.workers} worker(s): one migration of ${parameters.single} files`,
          value: `${r.singleS} s, ${r.singleFilesPerS} files/s`,
        },
        {
          name: `${r.workers} worker(s): ${CONCURRENT} migrations of ${parameters.each} files at once`,
          value: `${r.tenS} s, ${r.tenFilesPerS} files/s`,
        },
        {
          name: `${r.workers} worker(s): Drive → Dropbox at R = ${options.rate}, one migration / ten at once`,
          value: `${r.cloudSingleFilesPerS} / ${r.cloudTenFilesPerS} files/s, ${r.throttled} throttled answers`,
        },
      ]),
      targets: [
        {
          name: 'migrations completed, none failed',
          value: allCompleted ? 1 : 0,
          target: '= 1',
          met: allCompleted,
        },
      ],
      details: { rows },
    };
  },
};

async function migrateAll(
  api: ApiClient,
  files: string,
  source: string,
  names: string[],
): Promise<{ ms: number; views: MigrationView[] }> {
  const from = await api.localConnection(`${source}-${names[0]}`, fs.realpathSync(path.join(files, source)));
  const started: MigrationView[] = [];
  for (const name of names) {
    fs.mkdirSync(path.join(files, name));
    const to = await api.localConnection(name, fs.realpathSync(path.join(files, name)));
    started.push(
      await api.startMigration({ connection_id: from, path: '/' }, { connection_id: to, path: '/' }),
    );
  }
  return timedToEnd(api, started);
}
