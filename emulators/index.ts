// The three provider emulators behind one list, for `npm run emulators`, the demo mode and benchmarks.
import type { OAuthClient } from './common/tokens';
import type { SeedOptions } from './common/seed';
import { startDropboxEmulator } from './dropbox';
import { startGoogleDriveEmulator } from './google-drive';
import { startOneDriveEmulator } from './onedrive';
import type { ServiceName } from '../contract';

export interface RunningEmulator {
  url: string;
  defaultClient: OAuthClient;
  seed(opts: SeedOptions): unknown;
  close(): Promise<void>;
}

export interface EmulatorSpec {
  service: Exclude<ServiceName, 'local'>;
  label: string;
  /** Port used by `npm run emulators` unless overridden by `env`. */
  defaultPort: number;
  env: string;
  start(opts: { port?: number }): Promise<RunningEmulator>;
}

export const EMULATORS: EmulatorSpec[] = [
  {
    service: 'google_drive',
    label: 'Google Drive v3',
    defaultPort: 4101,
    env: 'EMULATOR_GOOGLE_DRIVE_PORT',
    start: startGoogleDriveEmulator,
  },
  {
    service: 'onedrive',
    label: 'OneDrive (Graph v1.0)',
    defaultPort: 4102,
    env: 'EMULATOR_ONEDRIVE_PORT',
    start: startOneDriveEmulator,
  },
  {
    service: 'dropbox',
    label: 'Dropbox v2',
    defaultPort: 4103,
    env: 'EMULATOR_DROPBOX_PORT',
    start: startDropboxEmulator,
  },
];
