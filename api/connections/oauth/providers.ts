// The consent-screen URL of an OAuth service, from its app and its declared parameters
// (ServiceDefinition.oauth), and where the provider sends the browser back.
import type { ServiceName } from '../../../contract';
import type { CloudSetup } from './setup';

/** The provider's consent URL; with `codeChallenge`, PKCE S256 (RFC 7636 §4.3) where the service supports it. */
export function authorizationUrl(
  setup: CloudSetup,
  redirectUri: string,
  state: string,
  codeChallenge: string,
): string {
  const url = new URL(setup.app.authUrl);
  const oauth = setup.definition.oauth;
  const params = {
    client_id: setup.app.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    ...oauth?.authorizeParams,
    ...(oauth?.pkce ? { code_challenge: codeChallenge, code_challenge_method: oauth.pkce } : {}),
    state,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** This server's public origin: PUBLIC_URL, else this server on localhost. */
export const publicBase = (config: { PUBLIC_URL?: string; PORT: number }): string =>
  (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/** Where the provider sends the browser back. */
export const redirectUri = (config: { PUBLIC_URL?: string; PORT: number }, service: ServiceName): string =>
  `${publicBase(config)}/v1/oauth/${service}/callback`;

/** Where authorize sends the browser first: it binds the flow to that browser, then goes to the provider. */
export const startUrl = (
  config: { PUBLIC_URL?: string; PORT: number },
  service: ServiceName,
  state: string,
): string => `${publicBase(config)}/v1/oauth/${service}/start?${new URLSearchParams({ state }).toString()}`;
