// What the OAuth services (google_drive, onedrive, dropbox) share in their definitions: settings of
// one shape (the app, the API's URLs, a request rate), the variables that make them, and a factory
// that opens a connector on the connection's sealed tokens.
import { z } from 'zod';
import type { CloudConnectorOptions, OAuthTokens } from './cloud';
import type { OAuthApp, OAuthDefinition, ServiceDefinition } from './service';
import { ConnectorError, type Connector } from './types';

export interface OAuthSettings {
  /** Undefined while the app's client id or secret is not set. */
  app: OAuthApp | undefined;
  baseUrl: string;
  /** Dropbox's content host. */
  contentUrl?: string;
  requestsPerSecond: number;
  /** The OAuth app's quota, shared by every account's connections (0: none). */
  appRequestsPerSecond: number;
}

/** The app, when both its client id and its secret are set. */
export const appOf = (
  clientId: string | undefined,
  clientSecret: string | undefined,
  urls: { tokenUrl: string; authUrl: string },
): OAuthApp | undefined => (clientId && clientSecret ? { clientId, clientSecret, ...urls } : undefined);

/** A URL variable with its default. */
export const urlVariable = (defaultUrl: string, description: string) =>
  z.string().url().default(defaultUrl).describe(description);

/** The requests/s variable of a service's connections. */
export const rateVariable = (label: string) =>
  z.coerce
    .number()
    .min(0)
    .default(10)
    .describe(
      `Requests/s each ${label} connection may send, one budget shared by every worker and the API; \`0\` = unlimited.`,
    );

/** The requests/s variable of a service's OAuth app, every account together. */
export const appRateVariable = (label: string) =>
  z.coerce
    .number()
    .min(0)
    .default(0)
    .describe(
      `Requests/s the ${label} OAuth app may send for all accounts together (the provider's per-app quota), ` +
        'shared by every worker and the API; one account may use at most MIGRATECLOUDS_APP_ACCOUNT_SHARE of ' +
        'it. `0` = no app budget (each connection keeps its own).',
    );

type OAuthParts = Pick<
  ServiceDefinition<z.ZodObject, OAuthSettings>,
  'credentials' | 'requestsPerSecond' | 'appRequestsPerSecond' | 'oauth' | 'open'
>;

/** The definition's OAuth members: `load` gives the function that builds the connector from settings and tokens. */
export function oauthParts(
  name: string,
  /** The connector's module, loaded at the first open: a process that never opens one skips its SDK. */
  load: () => Promise<(options: CloudConnectorOptions) => Connector>,
  oauth: Omit<OAuthDefinition<OAuthSettings>, 'app'>,
): OAuthParts {
  return {
    credentials: 'oauth',
    requestsPerSecond: (s) => s.requestsPerSecond,
    appRequestsPerSecond: (s) => s.appRequestsPerSecond,
    oauth: { ...oauth, app: (s) => s.app },
    async open({ settings, credentials, saveCredentials, gate }) {
      if (!settings.app)
        throw new ConnectorError('fatal_connection', `${name} is not configured on this server`);
      const create = await load();
      return create({
        baseUrl: settings.baseUrl,
        contentUrl: settings.contentUrl,
        oauth: settings.app,
        tokens: credentials as OAuthTokens,
        onTokens: saveCredentials,
        gate,
      });
    },
  };
}
