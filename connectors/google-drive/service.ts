// `google_drive`: Google Drive v3 (My Drive), connected through Google's OAuth consent screen.
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
import { GOOGLE_DRIVE_FEATURES } from './features';

declare module '../../contract/services' {
  interface RegisteredServices {
    google_drive: true;
  }
}

const variables = z.object({
  GOOGLE_DRIVE_CLIENT_ID: z
    .string()
    .optional()
    .describe("The Google OAuth app's client id; with its secret, enables `google_drive` connections."),
  GOOGLE_DRIVE_CLIENT_SECRET: z.string().optional().describe("The Google OAuth app's client secret."),
  GOOGLE_DRIVE_API_URL: urlVariable(
    'https://www.googleapis.com/',
    "The Drive API's base URL (an emulator's in tests and the demo).",
  ),
  GOOGLE_DRIVE_TOKEN_URL: urlVariable(
    'https://oauth2.googleapis.com/token',
    "Google's OAuth token endpoint.",
  ),
  GOOGLE_DRIVE_AUTH_URL: urlVariable(
    'https://accounts.google.com/o/oauth2/v2/auth',
    "Google's consent screen.",
  ),
  GOOGLE_DRIVE_REQUESTS_PER_SECOND: rateVariable('Google Drive'),
  GOOGLE_DRIVE_APP_REQUESTS_PER_SECOND: appRateVariable('Google Drive'),
});

export const googleDriveService = defineService({
  name: 'google_drive',
  label: 'Google Drive',
  inProse: 'Google Drive',
  features: GOOGLE_DRIVE_FEATURES,
  variables,
  settings: (v): OAuthSettings => ({
    app: appOf(v.GOOGLE_DRIVE_CLIENT_ID, v.GOOGLE_DRIVE_CLIENT_SECRET, {
      tokenUrl: v.GOOGLE_DRIVE_TOKEN_URL,
      authUrl: v.GOOGLE_DRIVE_AUTH_URL,
    }),
    baseUrl: v.GOOGLE_DRIVE_API_URL,
    requestsPerSecond: v.GOOGLE_DRIVE_REQUESTS_PER_SECOND,
    appRequestsPerSecond: v.GOOGLE_DRIVE_APP_REQUESTS_PER_SECOND,
  }),
  ...oauthParts('google_drive', async () => (await import('./connector')).createGoogleDriveConnector, {
    appVariables: ['GOOGLE_DRIVE_CLIENT_ID', 'GOOGLE_DRIVE_CLIENT_SECRET'],
    // Offline access with a forced consent: Google returns a refresh token only on consent.
    authorizeParams: {
      scope: 'https://www.googleapis.com/auth/drive',
      access_type: 'offline',
      prompt: 'consent',
    },
    tokenParams: {},
    // PKCE with S256 (Google, the Microsoft identity platform and Dropbox all verify it).
    pkce: 'S256',
  }),
  emulatorVariables: (url, app) => ({
    GOOGLE_DRIVE_CLIENT_ID: app.clientId,
    GOOGLE_DRIVE_CLIENT_SECRET: app.clientSecret,
    GOOGLE_DRIVE_API_URL: url,
    GOOGLE_DRIVE_TOKEN_URL: `${url}/token`,
    GOOGLE_DRIVE_AUTH_URL: `${url}/o/oauth2/v2/auth`,
  }),
});
