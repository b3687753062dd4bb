// `dropbox`: Dropbox API v2, connected through Dropbox's consent screen.
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
import { DROPBOX_FEATURES } from './features';

declare module '../../contract/services' {
  interface RegisteredServices {
    dropbox: true;
  }
}

const variables = z.object({
  DROPBOX_CLIENT_ID: z
    .string()
    .optional()
    .describe("The Dropbox app's key; with its secret, enables `dropbox` connections."),
  DROPBOX_CLIENT_SECRET: z.string().optional().describe("The Dropbox app's secret."),
  DROPBOX_API_URL: urlVariable(
    'https://api.dropboxapi.com',
    "Dropbox's API host (an emulator's in tests and the demo).",
  ),
  DROPBOX_CONTENT_URL: urlVariable(
    'https://content.dropboxapi.com',
    "Dropbox's content host (uploads and downloads).",
  ),
  DROPBOX_TOKEN_URL: urlVariable(
    'https://api.dropboxapi.com/oauth2/token',
    "Dropbox's OAuth token endpoint.",
  ),
  DROPBOX_AUTH_URL: urlVariable('https://www.dropbox.com/oauth2/authorize', "Dropbox's consent screen."),
  DROPBOX_REQUESTS_PER_SECOND: rateVariable('Dropbox'),
  DROPBOX_APP_REQUESTS_PER_SECOND: appRateVariable('Dropbox'),
});

export const dropboxService = defineService({
  name: 'dropbox',
  label: 'Dropbox',
  inProse: 'Dropbox',
  features: DROPBOX_FEATURES,
  variables,
  settings: (v): OAuthSettings => ({
    app: appOf(v.DROPBOX_CLIENT_ID, v.DROPBOX_CLIENT_SECRET, {
      tokenUrl: v.DROPBOX_TOKEN_URL,
      authUrl: v.DROPBOX_AUTH_URL,
    }),
    baseUrl: v.DROPBOX_API_URL,
    contentUrl: v.DROPBOX_CONTENT_URL,
    requestsPerSecond: v.DROPBOX_REQUESTS_PER_SECOND,
    appRequestsPerSecond: v.DROPBOX_APP_REQUESTS_PER_SECOND,
  }),
  ...oauthParts('dropbox', async () => (await import('./connector')).createDropboxConnector, {
    appVariables: ['DROPBOX_CLIENT_ID', 'DROPBOX_CLIENT_SECRET'],
    authorizeParams: { token_access_type: 'offline' },
    tokenParams: {},
    // PKCE with S256 (Google, the Microsoft identity platform and Dropbox all verify it).
    pkce: 'S256',
  }),
  emulatorVariables: (url, app) => ({
    DROPBOX_CLIENT_ID: app.clientId,
    DROPBOX_CLIENT_SECRET: app.clientSecret,
    DROPBOX_API_URL: url,
    DROPBOX_CONTENT_URL: url,
    DROPBOX_TOKEN_URL: `${url}/oauth2/token`,
    DROPBOX_AUTH_URL: `${url}/oauth2/authorize`,
  }),
});
