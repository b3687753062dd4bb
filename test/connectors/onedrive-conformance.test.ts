// The shared connector contract, passed by the onedrive connector against the Graph emulator.
import { createOneDriveConnector } from '../../connectors/onedrive';
import { type OneDriveEmulator, startOneDriveEmulator } from '../../emulators/onedrive';
import { describeConformance } from './conformance';

let emu: OneDriveEmulator;
beforeAll(async () => {
  emu = await startOneDriveEmulator();
});
afterAll(async () => emu.close());

describeConformance('onedrive', async () => {
  emu.store.clear();
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  const connector = createOneDriveConnector({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/common/oauth2/v2.0/token` },
    tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
    chunkSize: 320 * 1024,
    resumableThreshold: 1024 * 1024,
  });
  return { connector, cleanup: () => undefined };
});
