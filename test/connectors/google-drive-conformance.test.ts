// The shared connector contract, passed by the google_drive connector against the Drive emulator.
import { createGoogleDriveConnector } from '../../connectors/google-drive';
import { type GoogleDriveEmulator, startGoogleDriveEmulator } from '../../emulators/google-drive';
import { describeConformance } from './conformance';

let emu: GoogleDriveEmulator;
beforeAll(async () => {
  emu = await startGoogleDriveEmulator();
});
afterAll(async () => emu.close());

describeConformance('google_drive', async () => {
  emu.store.clear();
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  const connector = createGoogleDriveConnector({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/token` },
    tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
    chunkSize: 256 * 1024,
    resumableThreshold: 1024 * 1024,
  });
  return { connector, cleanup: () => undefined };
});
