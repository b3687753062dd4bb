// What a worker (in this process through loadConfig, or a real worker process) needs to reach the
// emulators, and connections to them holding freshly granted tokens.
import type { SecretBox } from '../../common/secret-box';
import { newId } from '../../common/ids';
import type { ServiceName } from '../../contract';
import type { DropboxEmulator } from '../../emulators/dropbox';
import type { GoogleDriveEmulator } from '../../emulators/google-drive';
import type { OneDriveEmulator } from '../../emulators/onedrive';
import type { Connection, Store } from '../../store/types';

export interface Emulators {
  drive?: GoogleDriveEmulator;
  onedrive?: OneDriveEmulator;
  dropbox?: DropboxEmulator;
}

/** The environment variables pointing each running emulator's service at it. */
export function emulatorEnv({ drive, onedrive, dropbox }: Emulators): Record<string, string> {
  return {
    ...(drive && {
      GOOGLE_DRIVE_CLIENT_ID: drive.defaultClient.clientId,
      GOOGLE_DRIVE_CLIENT_SECRET: drive.defaultClient.clientSecret,
      GOOGLE_DRIVE_API_URL: drive.url,
      GOOGLE_DRIVE_TOKEN_URL: `${drive.url}/token`,
    }),
    ...(onedrive && {
      ONEDRIVE_CLIENT_ID: onedrive.defaultClient.clientId,
      ONEDRIVE_CLIENT_SECRET: onedrive.defaultClient.clientSecret,
      ONEDRIVE_API_URL: `${onedrive.url}/v1.0`,
      ONEDRIVE_TOKEN_URL: `${onedrive.url}/common/oauth2/v2.0/token`,
    }),
    ...(dropbox && {
      DROPBOX_CLIENT_ID: dropbox.defaultClient.clientId,
      DROPBOX_CLIENT_SECRET: dropbox.defaultClient.clientSecret,
      DROPBOX_API_URL: dropbox.url,
      DROPBOX_CONTENT_URL: dropbox.url,
      DROPBOX_TOKEN_URL: `${dropbox.url}/oauth2/token`,
    }),
  };
}

/** A connection of `accountId` to the emulator at `emulatorUrl`, with tokens it granted just now. */
export async function emulatorConnection(
  store: Store,
  box: SecretBox,
  accountId: string,
  service: Exclude<ServiceName, 'local'>,
  emulatorUrl: string,
): Promise<Connection> {
  const grant = (await (await fetch(`${emulatorUrl}/_emulator/tokens/grant`, { method: 'POST' })).json()) as {
    access_token: string;
    refresh_token: string;
  };
  const tokens = { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null };
  const id = newId('conn');
  return store.connections.create({
    id,
    accountId,
    service,
    name: service,
    config: {},
    secrets: box.seal(JSON.stringify(tokens), id),
  });
}
