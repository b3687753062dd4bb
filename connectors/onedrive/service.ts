// `onedrive`: OneDrive through Microsoft Graph v1.0, connected through Microsoft's consent screen.
import { z } from 'zod';
import {
  appOf,
  oauthParts,
  rateVariable,
  appRateVariable,
  urlVariable,
  type OAuthSettings,
} from '../oauth-service';
import { defineService } from '../service';
import { ONEDRIVE_FEATURES } from './features';
import { ONEDRIVE_NAMES } from './names';

declare module '../../contract/services' {
  interface RegisteredServices {
    onedrive: true;
  }
}

/** Microsoft must be asked for offline_access to hand out refresh tokens (as auth.ts refreshes). */
const SCOPE = 'offline_access Files.ReadWrite.All';

const variables = z.object({
  ONEDRIVE_CLIENT_ID: z
    .string()
    .optional()
    .describe(
      "The Microsoft app's application (client) id; with its secret, enables `onedrive` connections.",
    ),
  ONEDRIVE_CLIENT_SECRET: z.string().optional().describe("The Microsoft app's client secret."),
  ONEDRIVE_API_URL: urlVariable(
    'https://graph.microsoft.com/v1.0',
    "Microsoft Graph's base URL (an emulator's in tests and the demo).",
  ),
  ONEDRIVE_TOKEN_URL: urlVariable(
    'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    "Microsoft's OAuth token endpoint (tenant `common`).",
  ),
  ONEDRIVE_AUTH_URL: urlVariable(
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    "Microsoft's consent screen (tenant `common`).",
  ),
  ONEDRIVE_REQUESTS_PER_SECOND: rateVariable('OneDrive'),
  ONEDRIVE_APP_REQUESTS_PER_SECOND: appRateVariable('OneDrive'),
});

export const oneDriveService = defineService({
  name: 'onedrive',
  label: 'OneDrive',
  inProse: 'OneDrive',
  features: ONEDRIVE_FEATURES,
  names: ONEDRIVE_NAMES,
  variables,
  settings: (v): OAuthSettings => ({
    app: appOf(v.ONEDRIVE_CLIENT_ID, v.ONEDRIVE_CLIENT_SECRET, {
      tokenUrl: v.ONEDRIVE_TOKEN_URL,
      authUrl: v.ONEDRIVE_AUTH_URL,
    }),
    baseUrl: v.ONEDRIVE_API_URL,
    requestsPerSecond: v.ONEDRIVE_REQUESTS_PER_SECOND,
    appRequestsPerSecond: v.ONEDRIVE_APP_REQUESTS_PER_SECOND,
  }),
  ...oauthParts('onedrive', async () => (await import('./connector')).createOneDriveConnector, {
    appVariables: ['ONEDRIVE_CLIENT_ID', 'ONEDRIVE_CLIENT_SECRET'],
    authorizeParams: { response_mode: 'query', scope: SCOPE },
    tokenParams: { scope: SCOPE },
    // PKCE with S256 (Google, the Microsoft identity platform and Dropbox all verify it).
    pkce: 'S256',
  }),
  emulatorVariables: (url, app) => ({
    ONEDRIVE_CLIENT_ID: app.clientId,
    ONEDRIVE_CLIENT_SECRET: app.clientSecret,
    ONEDRIVE_API_URL: `${url}/v1.0`,
    ONEDRIVE_TOKEN_URL: `${url}/common/oauth2/v2.0/token`,
    ONEDRIVE_AUTH_URL: `${url}/common/oauth2/v2.0/authorize`,
  }),
});
