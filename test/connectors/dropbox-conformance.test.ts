// The shared connector contract, passed by the dropbox connector against the Dropbox emulator.
import { createDropboxConnector } from '../../connectors/dropbox';
import { type DropboxEmulator, startDropboxEmulator } from '../../emulators/dropbox';
import { describeConformance } from './conformance';

let emu: DropboxEmulator;
beforeAll(async () => {
  emu = await startDropboxEmulator();
});
afterAll(async () => emu.close());

describeConformance('dropbox', async () => {
  emu.store.clear();
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  const connector = createDropboxConnector({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/oauth2/token` },
    tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
    chunkSize: 256 * 1024,
    resumableThreshold: 1024 * 1024,
  });
  return { connector, cleanup: () => undefined };
});
