// The three provider emulators for API suites, with the environment that points the server's OAuth
// apps and API URLs at them, and a refresh token "as if the user had consented".
import type { ServiceName } from '../../contract';
import { generateEncryptionKey } from '../../common/secret-box';
import type { SeedEntry, SeedOptions } from '../../emulators/common/seed';
import type { TokenStore } from '../../emulators/common/tokens';
import { startDropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator } from '../../emulators/google-drive';
import { startOneDriveEmulator } from '../../emulators/onedrive';

export interface CloudEmulator {
  service: ServiceName;
  url: string;
  tokens: TokenStore;
  seed(opts: SeedOptions): unknown;
  close(): Promise<void>;
}

export interface CloudEmulators {
  list: CloudEmulator[];
  byService: Record<string, CloudEmulator>;
  /** Settings for createTestApi: every cloud service configured, plus an encryption key. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startCloudEmulators(): Promise<CloudEmulators> {
  const [drive, onedrive, dropbox] = await Promise.all([
    startGoogleDriveEmulator(),
    startOneDriveEmulator(),
    startDropboxEmulator(),
  ]);
  const env = {
    MIGRATECLOUDS_ENCRYPTION_KEY: generateEncryptionKey(),
    PUBLIC_URL: 'https://migrate.example.test/',
    GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
    GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
    GOOGLE_DRIVE_API_URL: drive.url,
    GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
    GOOGLE_DRIVE_AUTH_URL: `${drive.url}/o/oauth2/v2/auth`,
    ONEDRIVE_CLIENT_ID: onedrive.defaultClient.clientId,
    ONEDRIVE_CLIENT_SECRET: onedrive.defaultClient.clientSecret,
    ONEDRIVE_API_URL: `${onedrive.url}/v1.0`,
    ONEDRIVE_TOKEN_URL: `${onedrive.url}/common/oauth2/v2.0/token`,
    ONEDRIVE_AUTH_URL: `${onedrive.url}/common/oauth2/v2.0/authorize`,
    DROPBOX_CLIENT_ID: dropbox.defaultClient.clientId,
    DROPBOX_CLIENT_SECRET: dropbox.defaultClient.clientSecret,
    DROPBOX_API_URL: dropbox.url,
    DROPBOX_CONTENT_URL: dropbox.url,
    DROPBOX_TOKEN_URL: `${dropbox.url}/oauth2/token`,
    DROPBOX_AUTH_URL: `${dropbox.url}/oauth2/authorize`,
  };
  const list: CloudEmulator[] = [
    { service: 'google_drive', ...pick(drive) },
    { service: 'onedrive', ...pick(onedrive) },
    { service: 'dropbox', ...pick(dropbox) },
  ];
  const byService = Object.fromEntries(list.map((e) => [e.service, e])) as CloudEmulators['byService'];
  return { list, byService, env, close: async () => void (await Promise.all(list.map((e) => e.close()))) };
}

function pick(emu: {
  url: string;
  tokens: TokenStore;
  seed(opts: SeedOptions): unknown;
  close(): Promise<void>;
}) {
  return {
    url: emu.url,
    tokens: emu.tokens,
    seed: (o: SeedOptions) => emu.seed(o),
    close: () => emu.close(),
  };
}

/** A refresh token from the emulator's consent stand-in (POST /_emulator/tokens/grant). */
export async function grantRefreshToken(emu: CloudEmulator): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/tokens/grant`, { method: 'POST' });
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}

/** Revokes a refresh token at the emulator and expires every access token, so the next call must refresh. */
export async function revokeAndExpire(emu: CloudEmulator, refreshToken: string): Promise<void> {
  const post = (path: string, body?: unknown) =>
    fetch(`${emu.url}/_emulator/tokens/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  expect((await post('revoke', { refresh_token: refreshToken })).status).toBe(200);
  expect((await post('expire')).status).toBe(200);
}

/** A small tree every emulator is seeded with. */
export const SAMPLE_TREE: SeedEntry[] = [
  { path: '/Docs', type: 'folder', size: 0, modifiedAt: '2024-05-01T10:00:00.000Z' },
  { path: '/Docs/report.pdf', type: 'file', size: 2048, modifiedAt: '2024-05-02T10:00:00.000Z' },
  { path: '/Docs/notes.txt', type: 'file', size: 17, modifiedAt: '2024-05-03T10:00:00.000Z' },
  { path: '/photo.jpg', type: 'file', size: 4000, modifiedAt: '2024-05-04T10:00:00.000Z' },
];
