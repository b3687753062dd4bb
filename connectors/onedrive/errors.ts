// Graph's failures classified once into ConnectorError kinds. SDK calls fail with GraphError
// (statusCode, code, headers); raw requests (downloads, upload fragments) with HttpFailure.
import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
import { ConnectorError, throttledError } from '../types';

/** A non-2xx answer to a request made outside the SDK's JSON handling. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }

  /** Reads Graph's {"error":{"code","message"}} from a failed response. */
  static async from(res: Response): Promise<HttpFailure> {
    const text = await res.text().catch(() => '');
    let code: string | null = null;
    let message = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? null;
      message = body.error?.message ?? message;
    } catch {
      // Not JSON: keep the text.
    }
    return new HttpFailure(res.status, code, res.headers, message);
  }
}

export function statusOf(err: unknown): number | undefined {
  if (err instanceof HttpFailure) return err.status;
  if (err instanceof GraphError) return err.statusCode > 0 ? err.statusCode : undefined;
  return undefined;
}

/** Retry-After in milliseconds: seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const v = headers?.get('retry-after');
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function classifyGraphError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  // Our own refusals (client.ts) travel through the SDK as a GraphClientError carrying the verdict.
  if (err instanceof GraphClientError && err.customError instanceof ConnectorError) {
    const e = err.customError;
    return new ConnectorError(e.kind, `${what}: ${e.message}`);
  }
  const status = statusOf(err);
  if (status === undefined) {
    // Network failures (fetch rejects; the SDK wraps them as GraphError -1).
    const cause = err instanceof GraphError ? String(err.body ?? err.message) : String(err);
    return new ConnectorError('retryable', `${what}: ${cause}`);
  }
  const e = err as HttpFailure | GraphError;
  const code = e.code ?? '';
  const detail = `${what}: ${status}${code ? ` ${code}` : ''}${e.message ? ` (${e.message})` : ''}`;
  const wait = retryAfterMs(e.headers);
  if (status === 429 || status === 503 || code === 'activityLimitReached' || code === 'TooManyRequests') {
    return throttledError(`${detail}: throttled`, wait);
  }
  if (status === 507) return new ConnectorError('fatal_connection', `${detail}: the drive is full`);
  if (status >= 500) return new ConnectorError('retryable', detail, wait);
  if (status === 401) return new ConnectorError('fatal_connection', `${detail}: access was refused`);
  if (status === 403) return new ConnectorError('permission_denied', detail);
  if (status === 404) return new ConnectorError('not_found', detail);
  if (status === 409) return new ConnectorError('already_exists', detail);
  // An upload fragment the service did not expect: resuming from the service's status fixes it.
  if (status === 416) return new ConnectorError('retryable', detail);
  return new ConnectorError('fatal_file', detail);
}
