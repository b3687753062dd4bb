// Trades an authorization code for tokens at the provider's token endpoint (form POST, as Google,
// Microsoft and Dropbox all accept), with the PKCE code_verifier. Neither the code, the verifier nor any
// token ever appears in an error.
import { AppError, invalidParameter } from '../../../common/errors';
import type { OAuthTokens } from '../../../connectors/cloud';
import type { CloudSetup } from './setup';

const TIMEOUT_MS = 30_000;

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export async function exchangeCode(
  setup: CloudSetup,
  code: string,
  redirectUri: string,
  /** The PKCE code_verifier (RFC 7636 §4.5), sent when the service uses PKCE. */
  codeVerifier: string,
): Promise<OAuthTokens> {
  const { service, app } = setup;
  const label = setup.definition.label;
  let res: Response;
  try {
    res = await fetch(app.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        ...setup.definition.oauth?.tokenParams,
        ...(setup.definition.oauth?.pkce ? { code_verifier: codeVerifier } : {}),
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('service_error', `${label} could not be reached to finish the authorization`, reason);
  }
  const body = (await res.json().catch(() => ({}))) as TokenAnswer;
  if (res.ok && body.access_token && body.refresh_token) {
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000).toISOString() : null,
    };
  }
  const reason = `${label} answered ${res.status}${body.error ? ` ${body.error}` : ''}`;
  if (body.error === 'invalid_grant') {
    throw invalidParameter(
      'code',
      'is expired or was already used',
      `${reason}. Start again with GET /v1/connections/oauth/${service}/authorize.`,
    );
  }
  if (res.ok) {
    throw new AppError(
      'service_error',
      `${label} did not issue a refresh token`,
      'The server asks for offline access; check the OAuth app’s settings at the provider.',
    );
  }
  throw new AppError(
    'service_error',
    `${label} refused to finish the authorization`,
    res.status >= 500 ? `${reason}; try again later.` : `${reason}; check the server's OAuth app settings.`,
  );
}
