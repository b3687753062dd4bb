// OAuth 2 as the providers' token endpoints speak it: authorization codes, refresh tokens, expiring
// access tokens, revocation and forced expiry. Shared by the three emulators.
import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer' | 'bearer';
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

/** The PKCE parameters of an authorization request (RFC 7636 §4.3). */
export interface PkceChallenge {
  challenge: string;
  method: 'S256' | 'plain';
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function pkceMatches(pkce: PkceChallenge, verifier: string | undefined): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  const derived =
    pkce.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === pkce.challenge;
}

/**
 * The PKCE challenge of a consent request, or an error to answer (as the providers do: a challenge
 * must be 43–128 characters, method S256 or plain, plain when left out).
 */
export function pkceOf(query: Record<string, unknown>): PkceChallenge | undefined | { error: string } {
  const challenge = query.code_challenge;
  const method = query.code_challenge_method ?? 'plain';
  if (challenge === undefined) {
    return query.code_challenge_method === undefined ? undefined : { error: 'code_challenge is missing' };
  }
  if (typeof challenge !== 'string' || !VERIFIER.test(challenge)) return { error: 'invalid code_challenge' };
  if (method !== 'S256' && method !== 'plain') return { error: 'unsupported code_challenge_method' };
  return { challenge, method };
}

const token = (prefix: string) => `${prefix}.${randomBytes(18).toString('base64url')}`;

export class TokenStore {
  private readonly clients = new Map<string, string>();
  private readonly codes = new Map<
    string,
    { clientId: string; redirectUri: string; expiresAt: number; pkce?: PkceChallenge }
  >();
  private readonly refreshTokens = new Map<string, { clientId: string; revoked: boolean }>();
  private readonly accessTokens = new Map<string, { expiresAt: number; refreshToken: string }>();

  constructor(
    clients: OAuthClient[],
    /** Lifetime of access tokens in seconds. */
    public accessTokenTtlSeconds = 3600,
  ) {
    for (const c of clients) this.clients.set(c.clientId, c.clientSecret);
  }

  /** What the consent screen does: a one-use code for this client and redirect URI (and PKCE challenge). */
  issueCode(clientId: string, redirectUri: string, pkce?: PkceChallenge): string {
    const code = token('code');
    this.codes.set(code, { clientId, redirectUri, expiresAt: Date.now() + 10 * 60_000, pkce });
    return code;
  }

  /** A refresh token and access token as if the user had consented (for tests and the demo). */
  grant(clientId: string): TokenAnswer & { refresh_token: string } {
    const refresh = token('rt');
    this.refreshTokens.set(refresh, { clientId, revoked: false });
    return { ...this.issueAccess(refresh), refresh_token: refresh };
  }

  isClient(clientId: string, secret?: string): boolean {
    const known = this.clients.get(clientId);
    return known !== undefined && (secret === undefined || known === secret);
  }

  /** The OAuth error code for a failed exchange, or the tokens. */
  exchange(
    params: Record<string, string | undefined>,
  ): TokenAnswer | { error: string; error_description: string } {
    const { grant_type, client_id = '', client_secret } = params;
    if (!this.isClient(client_id, client_secret)) {
      return { error: 'invalid_client', error_description: 'Unknown client or wrong secret' };
    }
    if (grant_type === 'authorization_code') {
      const code = this.codes.get(params.code ?? '');
      this.codes.delete(params.code ?? '');
      if (!code || code.clientId !== client_id || code.expiresAt < Date.now()) {
        return { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' };
      }
      if (params.redirect_uri !== undefined && params.redirect_uri !== code.redirectUri) {
        return { error: 'invalid_grant', error_description: 'redirect_uri does not match' };
      }
      // RFC 7636 §4.6: a code issued with a challenge needs the matching verifier (the providers answer
      // invalid_grant); a verifier sent for a code issued without one is refused as well.
      if (code.pkce && !pkceMatches(code.pkce, params.code_verifier)) {
        return {
          error: 'invalid_grant',
          error_description: params.code_verifier
            ? 'PKCE verification failed: code_verifier does not match code_challenge'
            : 'PKCE verification failed: code_verifier is required',
        };
      }
      if (!code.pkce && params.code_verifier !== undefined) {
        return { error: 'invalid_grant', error_description: 'code_verifier sent for a code without PKCE' };
      }
      return this.grant(client_id);
    }
    if (grant_type === 'refresh_token') {
      const rt = this.refreshTokens.get(params.refresh_token ?? '');
      if (!rt || rt.revoked || rt.clientId !== client_id) {
        return { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
      }
      return this.issueAccess(params.refresh_token!);
    }
    return { error: 'unsupported_grant_type', error_description: `grant_type ${grant_type ?? '(none)'}` };
  }

  /** True for a known, unexpired access token whose refresh token is not revoked. */
  validate(accessToken: string | undefined): boolean {
    const t = accessToken ? this.accessTokens.get(accessToken) : undefined;
    if (!t || t.expiresAt <= Date.now()) return false;
    return !this.refreshTokens.get(t.refreshToken)?.revoked;
  }

  /** Every access token issued so far stops working (clients must refresh). */
  expireAll(): number {
    for (const t of this.accessTokens.values()) t.expiresAt = 0;
    return this.accessTokens.size;
  }

  revoke(refreshToken: string): boolean {
    const rt = this.refreshTokens.get(refreshToken);
    if (!rt) return false;
    rt.revoked = true;
    return true;
  }

  private issueAccess(refreshToken: string): TokenAnswer {
    const access = token('at');
    this.accessTokens.set(access, {
      expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000,
      refreshToken,
    });
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTokenTtlSeconds };
  }
}

/**
 * The token endpoint. Parameters may come in a form body (Google, Microsoft) or the query string
 * (the Dropbox SDK); client credentials may also come as HTTP Basic auth.
 */
export function tokenEndpoint(store: TokenStore): RequestHandler {
  return (req: Request, res: Response) => {
    const params: Record<string, string | undefined> = {
      ...(req.query as Record<string, string>),
      ...((req.body ?? {}) as Record<string, string>),
    };
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      params.client_id ??= decodeURIComponent(id ?? '');
      params.client_secret ??= decodeURIComponent(secret ?? '');
    }
    const answer = store.exchange(params);
    if ('error' in answer) {
      res.status(answer.error === 'invalid_client' ? 401 : 400).json(answer);
      return;
    }
    res.json(answer);
  };
}

/** Reads the bearer token of a request. */
export const bearerToken = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/** The consent screen's outcome: back to `redirectUri` with a one-use code and the caller's state. */
export function redirectWithCode(
  res: Response,
  store: TokenStore,
  clientId: string,
  redirectUri: string,
  state: unknown,
  pkce?: PkceChallenge,
): void {
  const target = new URL(redirectUri);
  target.searchParams.set('code', store.issueCode(clientId, redirectUri, pkce));
  if (state !== undefined) target.searchParams.set('state', String(state));
  res.redirect(302, target.toString());
}
