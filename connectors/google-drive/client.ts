// The official SDK set up for one connection: OAuth2 client on the configured token URL, Drive v3 with
// `rootUrl` passed per call (the global option would leave media uploads on www.googleapis.com), and
// one wrapper that refreshes the token once on a 401 and classifies every failure. Raw requests (the
// resumable session's URI, from Drive's Location header or a saved session) carry the bearer token, so
// they go out only to the configured API's origin.
import { auth, drive, type drive_v3 } from '@googleapis/drive';
import type { GaxiosOptions, GaxiosResponse } from 'gaxios';
import { ungated, type CloudConnectorOptions, type OAuthTokens } from '../cloud';
import { connectorFetch } from '../http';
import { ConnectorError } from '../types';
import { classifyDriveError, statusOf } from './errors';

export interface CallOptions {
  rootUrl: string;
  /** The connector decides about retries (it honours Retry-After; gaxios does not). */
  retry: false;
}

export interface DriveClient {
  api: drive_v3.Drive;
  rootUrl: string;
  /** Runs an SDK call with per-call options; refreshes once on 401; throws ConnectorError. */
  call<T>(what: string, fn: (opts: CallOptions) => Promise<T>): Promise<T>;
  /** A raw request through the same OAuth client (for resumable sessions), same refresh and errors. */
  request<T>(what: string, opts: GaxiosOptions): Promise<GaxiosResponse<T>>;
  /**
   * `request` outside the connection's budget: for the clean-up of a cancelled copy, whose budget
   * waits end with the cancellation, and which must not wait behind the copies still running.
   */
  requestUngated<T>(what: string, opts: GaxiosOptions): Promise<GaxiosResponse<T>>;
}

export function createDriveClient(options: CloudConnectorOptions): DriveClient {
  const rootUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const oauth = new auth.OAuth2({
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    endpoints: { oauth2TokenUrl: options.oauth.tokenUrl },
    // gaxios would load node-fetch through a dynamic import(), which fails inside jest's VM and here
    // would find the node-fetch 2 the Dropbox SDK brings: the built-in fetch (with our timeouts) serves
    // every call instead.
    transporterOptions: { fetchImplementation: connectorFetch },
  });
  let current: OAuthTokens = { ...options.tokens };
  // A known expiry keeps the library from refreshing on its own after a 401 or 403 (a 403 is usually
  // throttling here); it still refreshes ahead of a known expiry, and we refresh on a 401.
  const expiry = current.expiresAt ? Date.parse(current.expiresAt) : Date.now() + 3_000_000;
  oauth.setCredentials({
    access_token: current.accessToken ?? undefined,
    refresh_token: current.refreshToken,
    expiry_date: current.accessToken ? expiry : undefined,
  });
  oauth.on('tokens', (t) => {
    current = {
      accessToken: t.access_token ?? null,
      refreshToken: t.refresh_token ?? current.refreshToken,
      expiresAt: t.expiry_date ? new Date(t.expiry_date).toISOString() : null,
    };
    void Promise.resolve(options.onTokens?.({ ...current })).catch(() => undefined);
  });
  const api = drive({ version: 'v3', auth: oauth });
  const callOpts: CallOptions = { rootUrl, retry: false };
  const gate = options.gate ?? ungated;
  const apiOrigin = new URL(rootUrl).origin;
  /** The request, or a refusal when its URL is on another origin than the API's. */
  const onApiOrigin = (what: string, opts: GaxiosOptions): GaxiosOptions => {
    const raw = String(opts.url ?? '');
    const url = URL.canParse(raw) ? new URL(raw) : null;
    if (url?.origin !== apiOrigin) {
      throw new ConnectorError(
        'fatal_connection',
        `${what}: refusing to send a Drive request to ${url?.origin ?? 'an unparsable URL'}, not ${apiOrigin}`,
      );
    }
    return { retry: false, ...opts };
  };

  async function withRefresh<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (statusOf(err) !== 401) throw classifyDriveError(err, what);
    }
    try {
      await oauth.refreshAccessToken();
    } catch (err) {
      throw classifyDriveError(err, `${what} (refreshing the access token)`);
    }
    try {
      return await fn();
    } catch (err) {
      const e = classifyDriveError(err, what);
      throw e.kind === 'fatal_connection'
        ? new ConnectorError('fatal_connection', `${e.message} even after a token refresh`)
        : e;
    }
  }

  return {
    api,
    rootUrl,
    call: (what, fn) => gate(() => withRefresh(what, () => fn(callOpts))),
    request: <T>(what: string, opts: GaxiosOptions) =>
      gate(() => withRefresh(what, () => oauth.request<T>(onApiOrigin(what, opts)))),
    requestUngated: <T>(what: string, opts: GaxiosOptions) =>
      withRefresh(what, () => oauth.request<T>(onApiOrigin(what, opts))),
  };
}
