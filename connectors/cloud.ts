// What every cloud connector (google_drive, onedrive, dropbox) is built from. The same code talks to
// the real service or to an emulator: only the URLs differ.
import type { ServiceName } from '../contract';

export interface OAuthTokens {
  /** May be null or expired: the connector refreshes it with the refresh token. */
  accessToken: string | null;
  refreshToken: string;
  /** ISO time the access token expires, when known. */
  expiresAt: string | null;
}

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** The provider's token endpoint (or the emulator's). */
  tokenUrl: string;
}

export interface CloudConnectorOptions {
  /** API base URL, e.g. https://www.googleapis.com/ (Drive), https://graph.microsoft.com/v1.0 (Graph),
   *  https://api.dropboxapi.com (Dropbox), or an emulator's http://127.0.0.1:PORT. */
  baseUrl: string;
  /** Dropbox only: the content host (https://content.dropboxapi.com); defaults to baseUrl. */
  contentUrl?: string;
  oauth: OAuthClientConfig;
  tokens: OAuthTokens;
  /** Called after the connector refreshed its access token, so the caller can store the new one. */
  onTokens?(tokens: OAuthTokens): void | Promise<void>;
  /** Upload chunk size in bytes (rounded to the provider's rule); tests make it small. */
  chunkSize?: number;
  /** Files at least this large use the provider's resumable upload session. */
  resumableThreshold?: number;
  /** Runs every request to the service under the connection's request budget (see budgeted.ts). */
  gate?: RequestGate;
}

/** Waits for the budget, runs one request, and tells the budget how it went. */
export type RequestGate = <T>(request: () => Promise<T>) => Promise<T>;

export const ungated: RequestGate = (request) => request();

/** A resumable upload in progress, as a caller must keep it to resume after a crash. */
export interface UploadSession {
  service: ServiceName;
  /** Drive session URI / Graph uploadUrl. */
  url?: string;
  /** Dropbox session id; local: the partial file's inode. */
  id?: string;
  /** Local: the target's path (its partial file lies beside it). */
  path?: string;
  /** Bytes the service has committed. */
  offset: number;
  size: number;
}
