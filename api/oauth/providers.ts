// What each provider's consent screen and token endpoint expect for the authorization-code flow.
import type { CloudServiceName } from '../../common/services';
import type { ProviderSettings } from '../../connectors/providers';

/** Microsoft must be asked for offline_access to hand out refresh tokens (as connectors/onedrive/auth.ts refreshes). */
const MICROSOFT_SCOPE = 'offline_access Files.ReadWrite.All';

/** Query parameters beyond client_id, redirect_uri, response_type and state. */
const EXTRA_AUTHORIZE_PARAMS: Record<CloudServiceName, Record<string, string>> = {
  // Offline access with a forced consent: Google returns a refresh token only on consent.
  google_drive: {
    scope: 'https://www.googleapis.com/auth/drive',
    access_type: 'offline',
    prompt: 'consent',
  },
  onedrive: { response_mode: 'query', scope: MICROSOFT_SCOPE },
  dropbox: { token_access_type: 'offline' },
};

/** Extra form fields of the code exchange. */
export const EXTRA_TOKEN_PARAMS: Record<CloudServiceName, Record<string, string>> = {
  google_drive: {},
  onedrive: { scope: MICROSOFT_SCOPE },
  dropbox: {},
};

export function authorizationUrl(
  service: CloudServiceName,
  settings: ProviderSettings,
  redirectUri: string,
  state: string,
): string {
  const url = new URL(settings.authUrl);
  const params = {
    client_id: settings.oauth.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    ...EXTRA_AUTHORIZE_PARAMS[service],
    state,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Where the provider sends the browser back: PUBLIC_URL, else this server on localhost. */
export function redirectUri(
  config: { PUBLIC_URL?: string; PORT: number },
  service: CloudServiceName,
): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  return `${base}/v1/oauth/${service}/callback`;
}
