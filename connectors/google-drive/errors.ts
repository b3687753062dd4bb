// Drive's failures classified once into ConnectorError kinds (gaxios errors carry the HTTP answer).
import { ConnectorError, reauthError, throttledError } from '../types';

interface HttpAnswer {
  status?: number;
  headers?: unknown;
  data?: unknown;
}

const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'backendError']);

export const answerOf = (err: unknown): HttpAnswer | undefined =>
  (err as { response?: HttpAnswer } | null)?.response;

export const statusOf = (err: unknown): number | undefined => answerOf(err)?.status;

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

/** Retry-After in milliseconds: seconds or an HTTP date. */
export function retryAfterMs(headers: unknown): number | undefined {
  const v = header(headers, 'retry-after');
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function bodyOf(data: unknown): { error?: unknown } | null {
  // For a streamed call gaxios joins the error body's chunks with Array#toString: with the built-in
  // fetch those are Uint8Arrays, so the text arrives as "123,34,…" (byte values).
  if (typeof data === 'string' && /^\d{1,3}(,\d{1,3})*$/.test(data)) {
    data = Buffer.from(data.split(',').map(Number)).toString('utf8');
  }
  if (typeof data === 'string') {
    try {
      return JSON.parse(data) as { error?: unknown };
    } catch {
      return null;
    }
  }
  return data && typeof data === 'object' ? (data as { error?: unknown }) : null;
}

/** Drive's `error.errors[0].reason`, or an OAuth error code such as invalid_grant. */
export function reasonOf(err: unknown): string | undefined {
  const body = bodyOf(answerOf(err)?.data);
  if (!body) return undefined;
  if (typeof body.error === 'string') return body.error;
  const e = body.error as { errors?: Array<{ reason?: string }> } | undefined;
  return e?.errors?.[0]?.reason;
}

export function classifyDriveError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const answer = answerOf(err);
  const status = answer?.status;
  const reason = reasonOf(err);
  const detail = `${what}: ${status ?? 'network error'}${reason ? ` ${reason}` : ''}`;
  if (reason === 'invalid_grant') {
    return reauthError(
      `${what}: Google refused the refresh token (invalid_grant); the connection needs re-authorization`,
    );
  }
  if (status === undefined) {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectorError('retryable', `${what}: ${message}`);
  }
  if (status === 429 || status === 503 || (status === 403 && reason && RATE_LIMIT_REASONS.has(reason))) {
    return throttledError(`${detail} (throttled)`, retryAfterMs(answer?.headers));
  }
  if (status >= 500) return new ConnectorError('retryable', detail, retryAfterMs(answer?.headers));
  if (status === 401) return new ConnectorError('fatal_connection', `${detail}: access was refused`);
  if (status === 404) return new ConnectorError('not_found', detail);
  if (status === 409) return new ConnectorError('already_exists', detail);
  if (status === 403 && (reason === 'insufficientFilePermissions' || reason === 'forbidden')) {
    return new ConnectorError('permission_denied', detail);
  }
  return new ConnectorError('fatal_file', detail);
}
