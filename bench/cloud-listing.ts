// Benchmark 5: listing a wide cloud tree. The Google Drive emulator holds 20,000 folders (100 top
// folders of 199 subfolders, a small file in every hundredth) and answers each request after 150 ms,
// at most R requests/s. A dry-run migration (it lists and plans, copies nothing) to Dropbox measures
// the listing alone. One list request per folder, so the floor is folders ÷ R seconds; listing one
// folder at a time could not beat 1 ÷ 0.15 s ≈ 6.7 folders/s whatever R is. Target: within 1.2× of
// folders ÷ R.
import path from 'node:path';
import { startDropboxEmulator } from '../emulators/dropbox';
import { startGoogleDriveEmulator } from '../emulators/google-drive';
import type { SeedEntry } from '../emulators/common/seed';
import { providerEnv } from '../scripts/lib/demo';
import { grantTokens } from '../scripts/lib/demo-connections';
import { emulatorCounters, setFaults } from './lib/emulator-control';
import { round2, seconds } from './lib/format';
import { log } from './lib/log';
import { startStack } from './lib/stack';
import { scaled, type Benchmark } from './lib/types';

const LATENCY_MS = 150;
const SUBFOLDERS = 199;

export const cloudListing: Benchmark = {
  name: 'cloud-listing',
  title: 'Benchmark 5 — listing 20,000 Google Drive folders at 150 ms a request, R requests/s',
  async run({ dir, options }) {
    const parameters = {
      folders: scaled(20_000, options.scale),
      latencyMs: LATENCY_MS,
      ratePerSecond: options.rate,
    };
    const tree = wideTree(parameters.folders);
    const [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
    try {
      drive.seed({ files: 0, tree });
      const env = {
        ...providerEnv([
          { service: 'google_drive', url: drive.url, emulator: drive },
          { service: 'dropbox', url: dropbox.url, emulator: dropbox },
        ]),
        GOOGLE_DRIVE_REQUESTS_PER_SECOND: String(options.rate),
        DROPBOX_REQUESTS_PER_SECOND: String(options.rate),
      };
      const stack = await startStack({ dir: path.join(dir, 'stack'), localRoots: [dir], env });
      try {
        const from = await stack.api.cloudConnection(
          'google_drive',
          (await grantTokens(drive.url)).refreshToken,
        );
        const to = await stack.api.cloudConnection('dropbox', (await grantTokens(dropbox.url)).refreshToken);
        await setFaults(drive.url, { latencyMs: LATENCY_MS, rateLimitPerSecond: options.rate });
        log(
          `${parameters.folders} folders, ${LATENCY_MS} ms a request, ${options.rate} requests/s; listing…`,
        );
        const t0 = Date.now();
        const started = await stack.api.startMigration(
          { connection_id: from, path: '/' },
          { connection_id: to, path: '/listed' },
          { dry_run: true },
        );
        const final = await stack.api.waitForMigration(started.id, {
          everyMs: 1000,
          assertAlive: stack.assertAlive,
          timeoutMs: 3_600_000,
        });
        const wallMs = final.finished_at ? Date.parse(final.finished_at) - t0 : Date.now() - t0;
        const counters = await emulatorCounters(drive.url);
        const floorMs = (parameters.folders / options.rate) * 1000;
        const ratio = wallMs / floorMs;
        const found = final.progress.folders_discovered;
        log(`migration ${final.status} in ${seconds(wallMs)} s (${round2(ratio)} × folders ÷ R)`);
        return {
          parameters,
          metrics: [
            { name: 'wall time (POST → final)', value: seconds(wallMs), unit: 's' },
            { name: 'floor: folders ÷ R', value: seconds(floorMs), unit: 's' },
            { name: 'wall time ÷ floor', value: round2(ratio) },
            { name: 'migration status', value: final.status },
            { name: 'folders discovered', value: `${found} / ${parameters.folders}` },
            { name: 'folders listed per second', value: round2(found / (wallMs / 1000)) },
            {
              name: 'Drive requests accepted / throttled',
              value: `${counters.total - counters.throttled} / ${counters.throttled}`,
            },
            { name: 'Drive requests per folder', value: round2(counters.total / parameters.folders) },
            { name: 'first error', value: final.error },
          ],
          targets: [
            {
              name: 'listing time ÷ (folders ÷ R)',
              value: round2(ratio),
              target: '≤ 1.2',
              met: ratio <= 1.2,
            },
            {
              name: 'folders discovered',
              value: found,
              target: String(parameters.folders),
              met: final.status === 'completed' && found === parameters.folders,
            },
          ],
          details: { wallMs, counters, error: final.error },
        };
      } finally {
        await stack.stop();
      }
    } finally {
      await Promise.all([drive.close(), dropbox.close()]);
    }
  },
};

/** `folders` folders: top folders of SUBFOLDERS subfolders each, and a 1 KB file in every hundredth. */
function wideTree(folders: number): SeedEntry[] {
  const modifiedAt = '2026-01-01T00:00:00.000Z';
  const entries: SeedEntry[] = [];
  let made = 0;
  for (let top = 0; made < folders; top++) {
    const topPath = `/top-${String(top).padStart(3, '0')}`;
    entries.push({ path: topPath, type: 'folder', size: 0, modifiedAt });
    made++;
    for (let sub = 0; sub < SUBFOLDERS && made < folders; sub++, made++) {
      const subPath = `${topPath}/sub-${String(sub).padStart(3, '0')}`;
      entries.push({ path: subPath, type: 'folder', size: 0, modifiedAt });
      if (made % 100 === 0)
        entries.push({ path: `${subPath}/note.txt`, type: 'file', size: 1024, modifiedAt });
    }
  }
  return entries;
}
