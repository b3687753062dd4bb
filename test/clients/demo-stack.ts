// `npm start -- --demo` for a client suite: the real supervisor (dev server, worker, API, the three
// emulators with their sample trees) on free ports in a temp data dir, webhooks allowed to loopback.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startSupervisor, type RunningSupervisor } from '../helpers/supervisor';

export const ROOT = path.resolve(__dirname, '../..');

export interface DemoStack {
  url: string;
  key: string;
  dataDir: string;
  /** The dev server's gRPC address and its Web UI. */
  temporalAddress: string;
  uiUrl: string;
  /** The demo connections' ids by service. */
  drive: string;
  onedrive: string;
  dropbox: string;
  /** The emulators' origins, for their /_emulator control routes (faults, latency). */
  emulators: { google_drive: string; onedrive: string; dropbox: string };
  /** What the supervisor printed so far (its banner: URLs, key, the console's sign-in link). */
  output(): string;
  stop(): Promise<number | null>;
}

export async function startDemoStack(): Promise<DemoStack> {
  // Builds dist/ (the supervisor, the SDK and CLI, the examples) when sources changed.
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-install'], { cwd: ROOT });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-clients-'));
  const [apiPort, temporalPort, uiPort, codecPort, drive, onedrive, dropbox] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...rest } = process.env;
  const supervisor: RunningSupervisor = await startSupervisor(
    {
      ...rest,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_URL: `http://127.0.0.1:${uiPort}`,
      TEMPORAL_CODEC_PORT: String(codecPort),
      MIGRATECLOUDS_DATA_DIR: dataDir,
      MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: 'true',
      EMULATOR_GOOGLE_DRIVE_PORT: String(drive),
      EMULATOR_ONEDRIVE_PORT: String(onedrive),
      EMULATOR_DROPBOX_PORT: String(dropbox),
    },
    ['--demo'],
  );
  const banner = supervisor.output();
  const id = (label: string) => new RegExp(`"Demo ${label}"\\s+(conn_\\w+)`).exec(banner)![1]!;
  return {
    url: `http://localhost:${apiPort}`,
    key: fs.readFileSync(path.join(dataDir, 'dev-api-key'), 'utf8').trim(),
    dataDir,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    drive: id('Google Drive'),
    onedrive: id('OneDrive'),
    dropbox: id('Dropbox'),
    emulators: {
      google_drive: `http://127.0.0.1:${drive}`,
      onedrive: `http://127.0.0.1:${onedrive}`,
      dropbox: `http://127.0.0.1:${dropbox}`,
    },
    output: () => supervisor.output(),
    async stop() {
      const code = await supervisor.stop('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
