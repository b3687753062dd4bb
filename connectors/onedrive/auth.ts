// OAuth 2 tokens for Graph: the current access token, a refresh against the configured token endpoint
// (Microsoft identity platform form body; `offline_access` keeps refresh tokens coming), one refresh
// at a time, and the caller told about every new token.
import type { CloudConnectorOptions, OAuthTokens } from '../cloud';
import { connectorFetch } from '../http';
import { ConnectorError, reauthError } from '../types';

const SCOPE = 'offline_access Files.ReadWrite.All';
/** Refresh this long before a known expiry. */
const EARLY_MS = 60_000;

export class GraphTokens {
  private current: OAuthTokens;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly options: CloudConnectorOptions) {
    this.current = { ...options.tokens };
  }

  get accessToken(): string | null {
    return this.current.accessToken;
  }

  /** Makes sure there is an access token that is not known to be expired. */
  async ensure(): Promise<void> {
    const { accessToken, expiresAt } = this.current;
    if (accessToken && (!expiresAt || Date.parse(expiresAt) - EARLY_MS > Date.now())) return;
    await this.refresh();
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { oauth } = this.options;
    let res: Response;
    try {
      res = await connectorFetch(oauth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: this.current.refreshToken,
          client_id: oauth.clientId,
          client_secret: oauth.clientSecret,
          scope: SCOPE,
        }),
      });
    } catch (err) {
      throw new ConnectorError('retryable', `Refreshing the OneDrive access token: ${String(err)}`);
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!res.ok || !body.access_token) {
      if (res.status >= 500 || res.status === 429) {
        throw new ConnectorError('retryable', `Refreshing the OneDrive access token: ${res.status}`);
      }
      throw reauthError(
        `Microsoft refused the refresh token (${body.error ?? res.status}); the connection needs re-authorization`,
      );
    }
    this.current = {
      accessToken: body.access_token,
      // Microsoft may rotate the refresh token.
      refreshToken: body.refresh_token ?? this.current.refreshToken,
      expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000).toISOString() : null,
    };
    await Promise.resolve(this.options.onTokens?.({ ...this.current })).catch(() => undefined);
  }
}
