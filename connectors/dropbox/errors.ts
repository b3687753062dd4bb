// Dropbox's failures classified once into ConnectorError kinds. The SDK throws DropboxResponseError
// { status, headers, error } with the parsed body; raw requests are turned into the same shape.
import { ConnectorError, reauthError, throttledError } from '../types';

export interface DropboxFailure {
  status: number;
  headers?: unknown;
  error?: unknown;
}

export const isFailure = (err: unknown): err is DropboxFailure =>
  typeof (err as { status?: unknown } | null)?.status === 'number';

/** The error_summary of a 409 ("path/not_found/.."), or the OAuth error code of a token answer. */
export function summaryOf(err: unknown): string {
  if (!isFailure(err)) return '';
  const body = err.error as { error_summary?: unknown; error?: unknown } | string | undefined;
  if (typeof body === 'string') return body;
  if (typeof body?.error_summary === 'string') return body.error_summary;
  return typeof body?.error === 'string' ? body.error : '';
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

/** Retry-After (seconds or a date), else the body's retry_after, in milliseconds. */
export function retryAfterMs(err: DropboxFailure): number | undefined {
  const v = header(err.headers, 'retry-after');
  if (v && /^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  if (v && !Number.isNaN(Date.parse(v))) return Math.max(0, Date.parse(v) - Date.now());
  const inBody = (err.error as { error?: { retry_after?: unknown } } | undefined)?.error?.retry_after;
  return typeof inBody === 'number' ? inBody * 1000 : undefined;
}

const FATAL_CONNECTION = /^(insufficient_space|invalid_access_token|user_suspended)|\/insufficient_space\//;

/** The ConnectorError for a failure, keeping the original as `cause` (e.g. for correct_offset). */
export function classifyDropboxError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = classify(err, what);
  e.cause = err;
  return e;
}

function classify(err: unknown, what: string): ConnectorError {
  if (!isFailure(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectorError('retryable', `${what}: ${message}`);
  }
  const { status } = err;
  const summary = summaryOf(err);
  const detail = `${what}: ${status}${summary ? ` ${summary}` : ''}`;
  if (summary === 'invalid_grant') {
    return reauthError(
      `${what}: Dropbox refused the refresh token (invalid_grant); the connection needs re-authorization`,
    );
  }
  if (status === 429 || status === 503 || summary.includes('too_many_write_operations')) {
    return throttledError(`${detail} (throttled)`, retryAfterMs(err));
  }
  if (status >= 500) return new ConnectorError('retryable', detail, retryAfterMs(err));
  if (status === 401) return new ConnectorError('fatal_connection', `${detail}: access was refused`);
  if (status === 403) return new ConnectorError('permission_denied', detail);
  if (status === 404) return new ConnectorError('not_found', detail);
  if (status !== 409) return new ConnectorError('fatal_file', detail);
  if (FATAL_CONNECTION.test(summary)) return new ConnectorError('fatal_connection', detail);
  if (/(^|\/)(not_found)\//.test(summary)) return new ConnectorError('not_found', detail);
  if (/conflict\/file_ancestor|(^|\/)(not_folder|not_file)\//.test(summary)) {
    return new ConnectorError('wrong_type', detail);
  }
  if (/(^|\/)conflict\//.test(summary)) return new ConnectorError('already_exists', detail);
  if (/(^|\/)(malformed_path|disallowed_name|invalid_path)\//.test(summary)) {
    return new ConnectorError('invalid_path', detail);
  }
  if (/(^|\/)(no_write_permission|restricted_content)\//.test(summary)) {
    return new ConnectorError('permission_denied', detail);
  }
  return new ConnectorError('fatal_file', detail);
}

/** A raw request's non-2xx answer, shaped like the SDK's DropboxResponseError. */
export class DropboxHttpFailure extends Error implements DropboxFailure {
  constructor(
    readonly status: number,
    readonly headers: unknown,
    readonly error: unknown,
  ) {
    super(`Dropbox answered ${status}`);
  }
}
