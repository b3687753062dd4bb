// Benchmark 3: Google Drive emulator → Dropbox emulator, 2,000 files, both emulators limited to R
// requests/s through their control API. Measures how much of the allowed rate the migration uses
// (accepted requests/s ÷ R, from the emulators' counters), how many throttling answers it provoked, and
// whether any file failed. Target: at least 90% of R on the busier side, zero failed files.
import path from 'node:path';
import { seedContent } from '../emulators/common/seed';
import { startDropboxEmulator } from '../emulators/dropbox';
import { startGoogleDriveEmulator } from '../emulators/google-drive';
import { providerEnv } from '../scripts/lib/demo';
import { grantTokens } from '../scripts/lib/demo-connections';
import { emulatorCounters, setRateLimit, type CounterSnapshot } from './lib/emulator-control';
import { round2, seconds } from './lib/format';
import { historyStats } from './lib/history';
import { log } from './lib/log';
import { startStack } from './lib/stack';
import { scaled, type Benchmark } from './lib/types';
import { migrationWorkflowId } from '../contract';

const DESTINATION = '/from drive';

export const cloudRateLimit: Benchmark = {
  name: 'cloud-rate-limit',
  title: 'Benchmark 3 — Google Drive → Dropbox emulators, each limited to R requests/s',
  async run({ dir, options }) {
    const parameters = {
      files: scaled(2000, options.scale),
      folders: 20,
      minSize: 1024,
      maxSize: 16 * 1024,
      seed: 3,
      ratePerSecond: options.rate,
    };
    const [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
    try {
      const seeded = drive.seed({ ...parameters, maxDepth: 2 });
      const files = seeded.entries.filter((e) => e.type === 'file');
      log(`Drive emulator ${drive.url} seeded with ${files.length} files; Dropbox emulator ${dropbox.url}`);
      const env = {
        ...providerEnv([
          { service: 'google_drive', url: drive.url, emulator: drive },
          { service: 'dropbox', url: dropbox.url, emulator: dropbox },
        ]),
        // Each connection's request budget at the emulators' limit.
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
        // Limits and counters start now: creating the connections (one checking listing each) is not measured.
        for (const url of [drive.url, dropbox.url]) await setRateLimit(url, options.rate);
        log(`both emulators limited to ${options.rate} requests/s; migrating…`);
        const t0 = Date.now();
        const started = await stack.api.startMigration(
          { connection_id: from, path: '/' },
          { connection_id: to, path: DESTINATION },
        );
        const final = await stack.api.waitForMigration(started.id, {
          everyMs: 1000,
          assertAlive: stack.assertAlive,
        });
        const wallMs = final.finished_at ? Date.parse(final.finished_at) - t0 : Date.now() - t0;
        const counters = {
          drive: await emulatorCounters(drive.url),
          dropbox: await emulatorCounters(dropbox.url),
        };
        log(`migration ${final.status} in ${seconds(wallMs)} s`);
        const history = await historyStats(stack.temporalAddress, migrationWorkflowId(final.id)).catch(
          () => null,
        );
        const arrived = files.filter((f) =>
          dropbox.store.get(`${DESTINATION}${f.path}`)?.content?.equals(seedContent(f.path, f.size)),
        ).length;

        const side = (c: CounterSnapshot) => {
          const accepted = c.total - c.throttled;
          const perSecond = accepted / (wallMs / 1000);
          return {
            requests: c.total,
            accepted,
            throttled: c.throttled,
            perSecond,
            ofRate: perSecond / options.rate,
          };
        };
        const d = side(counters.drive);
        const x = side(counters.dropbox);
        const best = Math.max(d.ofRate, x.ofRate);
        const failed = final.progress.files_failed;
        return {
          parameters,
          metrics: [
            { name: 'wall time (POST → final)', value: seconds(wallMs), unit: 's' },
            { name: 'migration status', value: final.status },
            { name: 'files copied / failed', value: `${final.progress.files_copied} / ${failed}` },
            { name: 'files byte-identical at Dropbox', value: `${arrived} / ${files.length}` },
            {
              name: 'Drive requests accepted / throttled (403 rateLimitExceeded)',
              value: `${d.accepted} / ${d.throttled}`,
            },
            { name: 'Drive accepted requests/s', value: round2(d.perSecond) },
            { name: 'Drive accepted ÷ R', value: round2(d.ofRate) },
            { name: 'Dropbox requests accepted / throttled (429)', value: `${x.accepted} / ${x.throttled}` },
            { name: 'Dropbox accepted requests/s', value: round2(x.perSecond) },
            { name: 'Dropbox accepted ÷ R', value: round2(x.ofRate) },
            { name: 'Drive requests per file, by endpoint', value: perFile(counters.drive, files.length) },
            {
              name: 'Dropbox requests per file, by endpoint',
              value: perFile(counters.dropbox, files.length),
            },
            { name: 'files copied per second', value: round2(final.progress.files_copied / (wallMs / 1000)) },
            {
              name: 'Drive accepted requests per file that arrived',
              value: arrived ? round2(d.accepted / arrived) : null,
            },
            { name: 'first error', value: final.error },
            { name: 'workflow history events (last run)', value: history?.events ?? null },
          ],
          targets: [
            {
              name: 'accepted requests/s ÷ R (busier side)',
              value: round2(best),
              target: '≥ 0.9',
              met: best >= 0.9,
            },
            {
              name: 'failed files',
              value: failed,
              target: '0',
              met: failed === 0 && arrived === files.length,
            },
          ],
          details: { wallMs, counters, history, error: final.error },
        };
      } finally {
        await stack.stop();
      }
    } finally {
      await Promise.all([drive.close(), dropbox.close()]);
    }
  },
};

/** e.g. "GET /drive/v3/files 3.07, GET /drive/v3/files/{id} 0.63" (throttled answers included). */
function perFile(c: CounterSnapshot, files: number): string {
  return Object.entries(c.requests)
    .map(([endpoint, n]) => `${endpoint} ${round2(n / files)}`)
    .join(', ');
}
