// The official SDK set up for one connection. Its URLs are hard-coded https://{api,content}.dropboxapi.com,
// so a fetch wrapper rewrites the origin to the configured hosts; it sits on DropboxAuth so token
// refreshes are rewritten too. It is the built-in fetch with the connectors' timeouts (http.ts), given
// the one node-fetch method the SDK calls in Node (`res.buffer()`, for downloads). The SDK refreshes only
// ahead of a known expiry, never on a 401: `call` refreshes once on a 401 and classifies every failure.
import { Dropbox, DropboxAuth } from 'dropbox';
import { ungated, type CloudConnectorOptions, type OAuthTokens } from '../cloud';
import { connectorFetch } from '../http';
import { ConnectorError } from '../types';
import { classifyDropboxError, DropboxHttpFailure, isFailure } from './errors';

const API = 'https://api.dropboxapi.com';
const CONTENT = 'https://content.dropboxapi.com';
const TOKEN = `${API}/oauth2/token`;

export interface DropboxClient {
  api: Dropbox;
  /** Runs an SDK call; refreshes the token once on a 401; throws ConnectorError. */
  call<T>(what: string, fn: (api: Dropbox) => Promise<{ result: T }>): Promise<T>;
  /**
   * A raw content-host POST with the SDK's token (same refresh); non-2xx answers (but 416) are thrown as
   * failures. Its body streams (a connection reset part-way errors the stream).
   */
  content(path: string, headers: Record<string, string>, what: string): Promise<globalThis.Response>;
}

const trim = (u: string) => u.replace(/\/+$/, '');

export function createDropboxClient(options: CloudConnectorOptions): DropboxClient {
  const apiUrl = trim(options.baseUrl);
  const contentUrl = trim(options.contentUrl ?? options.baseUrl);
  const rewrite = (url: string): string => {
    if (url.startsWith(TOKEN)) return options.oauth.tokenUrl + url.slice(TOKEN.length);
    if (url.startsWith(API)) return apiUrl + url.slice(API.length);
    if (url.startsWith(CONTENT)) return contentUrl + url.slice(CONTENT.length);
    return url;
  };
  const fetch = async (url: string, init?: RequestInit) => {
    const res = await connectorFetch(rewrite(url), init);
    return Object.assign(res, { buffer: async () => Buffer.from(await res.arrayBuffer()) });
  };
  const auth = new DropboxAuth({
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    refreshToken: options.tokens.refreshToken,
    fetch,
  });
  if (options.tokens.accessToken) {
    auth.setAccessToken(options.tokens.accessToken);
    // Unknown expiry: trust the token until a 401 says otherwise (the SDK would refresh every time).
    const expiry = options.tokens.expiresAt
      ? new Date(options.tokens.expiresAt)
      : new Date(Date.now() + 3_600_000);
    auth.setAccessTokenExpiresAt(expiry);
  }
  const api = new Dropbox({ auth });
  const gate = options.gate ?? ungated;
  let lastToken = options.tokens.accessToken;

  /** Tells the caller about a token the SDK (or we) fetched. */
  function reportTokens(): void {
    const token = auth.getAccessToken();
    if (!token || token === lastToken) return;
    lastToken = token;
    const expiresAt = auth.getAccessTokenExpiresAt();
    const tokens: OAuthTokens = {
      accessToken: token,
      refreshToken: options.tokens.refreshToken,
      expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
    };
    void Promise.resolve(options.onTokens?.(tokens)).catch(() => undefined);
  }

  async function withRefresh<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isFailure(err) || err.status !== 401) throw classifyDropboxError(err, what);
    } finally {
      reportTokens();
    }
    try {
      await auth.refreshAccessToken();
    } catch (err) {
      throw classifyDropboxError(err, `${what} (refreshing the access token)`);
    }
    reportTokens();
    try {
      return await fn();
    } catch (err) {
      const e = classifyDropboxError(err, what);
      throw e.kind === 'fatal_connection'
        ? new ConnectorError('fatal_connection', `${e.message} even after a token refresh`)
        : e;
    }
  }

  async function rawContent(path: string, headers: Record<string, string>): Promise<globalThis.Response> {
    await auth.checkAndRefreshAccessToken();
    const res = await connectorFetch(`${contentUrl}${path}`, {
      method: 'POST',
      headers: { ...headers, Authorization: `Bearer ${auth.getAccessToken()}` },
    });
    if (res.ok || res.status === 416) return res;
    const text = await res.text();
    let error: unknown = text;
    try {
      error = JSON.parse(text);
    } catch {
      /* plain-text answers stay text */
    }
    throw new DropboxHttpFailure(res.status, res.headers, error);
  }

  return {
    api,
    call: async (what, fn) => (await gate(() => withRefresh(what, () => fn(api)))).result,
    content: (path, headers, what) => gate(() => withRefresh(what, () => rawContent(path, headers))),
  };
}
