// Benchmark 3: cloud → cloud under a quota. Google Drive emulator → Dropbox emulator, 2,000 small files,
// both emulators limited to R requests/s through their control API; then the same tree Dropbox →
// OneDrive and OneDrive → Google Drive, so every service's cost per file is shown as a source and as a
// destination. Measures requests per file on each side by endpoint (the emulators' counters: the
// deterministic figure), how much of R the busier side uses, files/s, and whether any file failed.
// Targets (issue 15): ≤ 1.1 requests per file on each side for every service; Drive → Dropbox at
// ≥ 0.95 × R on the binding side and ≥ 1.7× the files/s measured before (22.99 at R = 50).
import path from 'node:path';
import { generateTree, seedContent, type SeedEntry } from '../emulators/common/seed';
import { startDropboxEmulator } from '../emulators/dropbox';
import { startGoogleDriveEmulator } from '../emulators/google-drive';
import { startOneDriveEmulator } from '../emulators/onedrive';
import { providerEnv } from '../scripts/lib/demo';
import { grantTokens } from '../scripts/lib/demo-connections';
import { pairRun, type PairRun } from './lib/cloud-pair';
import { round2 } from './lib/format';
import { log } from './lib/log';
import { startStack } from './lib/stack';
import { scaled, type Benchmark } from './lib/types';
import type { Metric, TargetCheck } from './lib/results';

/** Files/s of Drive → Dropbox at R = 50 before issue 15 (bench/results/cloud-rate-limit.md, 2026-11-29). */
const BEFORE = { filesPerSecond: 22.99, rate: 50 };
const PER_FILE = 1.1;

export const cloudRateLimit: Benchmark = {
  name: 'cloud-rate-limit',
  title:
    'Benchmark 3 — cloud → cloud emulators (Drive → Dropbox, Dropbox → OneDrive, OneDrive → Drive), each limited to R requests/s',
  async run({ dir, options }) {
    const parameters = {
      files: scaled(2000, options.scale),
      folders: 20,
      minSize: 1024,
      maxSize: 16 * 1024,
      seed: 3,
      ratePerSecond: options.rate,
    };
    const [drive, dropbox, onedrive] = await Promise.all([
      startGoogleDriveEmulator(),
      startDropboxEmulator(),
      startOneDriveEmulator(),
    ]);
    try {
      // Drive holds the tree at its root (as in earlier runs); Dropbox and OneDrive below /src.
      const tree = generateTree({ ...parameters, maxDepth: 2 });
      drive.seed({ ...parameters, maxDepth: 2 });
      const below: SeedEntry[] = [
        { path: '/src', type: 'folder', size: 0, modifiedAt: new Date().toISOString() },
        ...tree.map((e) => ({ ...e, path: `/src${e.path}` })),
      ];
      dropbox.seed({ files: 0, tree: below });
      onedrive.seed({ files: 0, tree: below });
      const files = tree.filter((e) => e.type === 'file');
      log(`${files.length} files seeded in Drive (/), Dropbox and OneDrive (/src)`);
      const env = {
        ...providerEnv([
          { service: 'google_drive', url: drive.url, emulator: drive },
          { service: 'dropbox', url: dropbox.url, emulator: dropbox },
          { service: 'onedrive', url: onedrive.url, emulator: onedrive },
        ]),
        // Each connection's request budget at the emulators' limit.
        GOOGLE_DRIVE_REQUESTS_PER_SECOND: String(options.rate),
        DROPBOX_REQUESTS_PER_SECOND: String(options.rate),
        ONEDRIVE_REQUESTS_PER_SECOND: String(options.rate),
      };
      const stack = await startStack({ dir: path.join(dir, 'stack'), localRoots: [dir], env });
      try {
        const connection = async (service: string, url: string) =>
          stack.api.cloudConnection(service, (await grantTokens(url)).refreshToken);
        const ids = {
          drive: await connection('google_drive', drive.url),
          dropbox: await connection('dropbox', dropbox.url),
          onedrive: await connection('onedrive', onedrive.url),
        };
        const sides = {
          drive: { label: 'Drive', url: drive.url, id: ids.drive },
          dropbox: { label: 'Dropbox', url: dropbox.url, id: ids.dropbox },
          onedrive: { label: 'OneDrive', url: onedrive.url, id: ids.onedrive },
        };
        const common = {
          stack,
          rate: options.rate,
          files: files.length,
          all: [drive.url, dropbox.url, onedrive.url],
        };
        // Files whose bytes at the destination are the seeded ones (seeded under `prefix` at the source).
        const identical = (read: (path: string) => Buffer | undefined, prefix: string) => () =>
          files.filter((f) => read(f.path)?.equals(seedContent(`${prefix}${f.path}`, f.size))).length;
        const oneDriveRoot = () => onedrive.store.get(onedrive.store.rootId)!;
        const runs: PairRun[] = [
          await pairRun(
            common,
            sides.drive,
            '/',
            sides.dropbox,
            '/from drive',
            identical((f) => dropbox.store.get(`/from drive${f}`)?.content, ''),
          ),
          await pairRun(
            common,
            sides.dropbox,
            '/src',
            sides.onedrive,
            '/from dropbox',
            identical(
              (f) =>
                onedrive.store.walk(oneDriveRoot(), `/from dropbox${f}`.split('/').filter(Boolean))?.content,
              '/src',
            ),
          ),
          await pairRun(
            common,
            sides.onedrive,
            '/src',
            sides.drive,
            '/from onedrive',
            identical((f) => driveContent(drive, `/from onedrive${f}`), '/src'),
          ),
        ];
        return summarize(parameters, files.length, runs, options.rate);
      } finally {
        await stack.stop();
      }
    } finally {
      await Promise.all([drive.close(), dropbox.close(), onedrive.close()]);
    }
  },
};

/** The bytes of the Drive file at `path` (the first of its name at each level). */
function driveContent(drive: Awaited<ReturnType<typeof startGoogleDriveEmulator>>, path: string) {
  let id = drive.store.rootId;
  for (const name of path.split('/').filter(Boolean)) {
    const next = drive.store.children(id).find((f) => f.name === name);
    if (!next) return undefined;
    id = next.id;
  }
  return drive.store.get(id)?.content;
}

function summarize(parameters: Record<string, unknown>, files: number, runs: PairRun[], rate: number) {
  const metrics: Metric[] = [];
  const targets: TargetCheck[] = [];
  for (const r of runs) {
    const pair = `${r.from.label} → ${r.to.label}`;
    metrics.push(
      { name: `${pair}: wall time (POST → final)`, value: round2(r.wallMs / 1000), unit: 's' },
      { name: `${pair}: status; files copied / failed`, value: `${r.status}; ${r.copied} / ${r.failed}` },
      { name: `${pair}: files byte-identical at the destination`, value: `${r.arrived} / ${files}` },
      { name: `${pair}: files copied per second`, value: round2(r.copied / (r.wallMs / 1000)) },
      { name: `${pair}: ${r.from.label} (source) requests per file`, value: round2(r.source.perFile) },
      { name: `${pair}: ${r.from.label} (source) by endpoint`, value: r.source.byEndpoint },
      {
        name: `${pair}: ${r.to.label} (destination) requests per file`,
        value: round2(r.destination.perFile),
      },
      { name: `${pair}: ${r.to.label} (destination) by endpoint`, value: r.destination.byEndpoint },
      {
        name: `${pair}: accepted requests/s ÷ R, source / destination`,
        value: `${round2(r.source.ofRate)} / ${round2(r.destination.ofRate)}`,
      },
      {
        name: `${pair}: the same between 10% and 90% of the run`,
        value: `${round2(r.source.middleOfRate)} / ${round2(r.destination.middleOfRate)}`,
      },
      {
        name: `${pair}: throttled answers, source / destination`,
        value: `${r.source.throttled} / ${r.destination.throttled}`,
      },
    );
    for (const [role, side, label] of [
      ['source', r.source, r.from.label],
      ['destination', r.destination, r.to.label],
    ] as const) {
      targets.push({
        name: `${label} requests per file as ${role} (${pair})`,
        value: round2(side.perFile),
        target: `≤ ${PER_FILE}`,
        met: side.perFile <= PER_FILE,
      });
    }
    targets.push({
      name: `failed or differing files (${pair})`,
      value: r.failed + (files - r.arrived),
      target: '0',
      met: r.failed === 0 && r.arrived === files,
    });
  }
  const main = runs[0]!;
  const binding = main.source.perFile >= main.destination.perFile ? main.source : main.destination;
  const filesPerSecond = main.copied / (main.wallMs / 1000);
  targets.push(
    {
      name: 'Drive → Dropbox: accepted requests/s ÷ R, binding side',
      value: round2(binding.ofRate),
      target: '≥ 0.95',
      met: binding.ofRate >= 0.95,
    },
    {
      name: `Drive → Dropbox: files/s ÷ before (${BEFORE.filesPerSecond} at R = ${BEFORE.rate})`,
      value: round2(filesPerSecond / BEFORE.filesPerSecond),
      target: rate === BEFORE.rate ? '≥ 1.7' : `≥ 1.7 (only comparable at R = ${BEFORE.rate})`,
      met: rate === BEFORE.rate && filesPerSecond >= 1.7 * BEFORE.filesPerSecond,
    },
  );
  return {
    parameters,
    metrics,
    targets,
    details: Object.fromEntries(runs.map((r) => [`${r.from.label} → ${r.to.label}`, r.details])),
  };
}
