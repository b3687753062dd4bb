// The consent-screen URL of an OAuth service, from its app and its declared parameters
// (ServiceDefinition.oauth), and where the provider sends the browser back.
import type { ServiceName } from '../../../contract';
import type { CloudSetup } from './setup';

export function authorizationUrl(setup: CloudSetup, redirectUri: string, state: string): string {
  const url = new URL(setup.app.authUrl);
  const params = {
    client_id: setup.app.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    ...setup.definition.oauth?.authorizeParams,
    state,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Where the provider sends the browser back: PUBLIC_URL, else this server on localhost. */
export function redirectUri(config: { PUBLIC_URL?: string; PORT: number }, service: ServiceName): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  return `${base}/v1/oauth/${service}/callback`;
}
