// One error class per envelope code (docs/guides/errors.md), all extending MigrateCloudsError, so callers
// can `catch (e) { if (e instanceof NotFoundError) … }` instead of comparing strings.

export interface ErrorFields {
  code: string;
  status: number;
  message: string;
  details?: string;
  requestId?: string;
}

export class MigrateCloudsError extends Error {
  /** The envelope's `code`, e.g. "resource_not_found" ("network_error" when no answer came). */
  readonly code: string;
  /** The HTTP status (0 when no answer came). */
  readonly status: number;
  /** The envelope's `details`: what to do about it. */
  readonly details: string | undefined;
  /** The answer's X-Request-Id: quote it when reporting a problem. */
  readonly requestId: string | undefined;

  constructor(fields: ErrorFields) {
    super(fields.message);
    this.name = new.target.name;
    this.code = fields.code;
    this.status = fields.status;
    this.details = fields.details;
    this.requestId = fields.requestId;
  }
}

export class AuthenticationError extends MigrateCloudsError {}
export class PermissionDeniedError extends MigrateCloudsError {}
export class NotFoundError extends MigrateCloudsError {}
export class ConflictError extends MigrateCloudsError {}
export class ServiceError extends MigrateCloudsError {}
export class InternalError extends MigrateCloudsError {}
/** No answer at all: the server could not be reached, or the connection broke. */
export class NetworkError extends MigrateCloudsError {}

export class InvalidParameterError extends MigrateCloudsError {
  /** The parameter the server named ("options.include[2]", "page_size", "Idempotency-Key"). */
  readonly parameter: string | undefined;
  constructor(fields: ErrorFields) {
    super(fields);
    this.parameter = /^Invalid parameter '([^']+)'/.exec(fields.message)?.[1];
  }
}

export class RateLimitError extends MigrateCloudsError {
  /** Seconds the server asked to wait (Retry-After), when it said. */
  readonly retryAfter: number | undefined;
  constructor(fields: ErrorFields & { retryAfter?: number }) {
    super(fields);
    this.retryAfter = fields.retryAfter;
  }
}

const BY_CODE: Record<string, new (fields: ErrorFields) => MigrateCloudsError> = {
  authentication_error: AuthenticationError,
  permission_denied: PermissionDeniedError,
  invalid_parameter: InvalidParameterError,
  resource_not_found: NotFoundError,
  conflict: ConflictError,
  rate_limit_exceeded: RateLimitError,
  service_error: ServiceError,
  internal_error: InternalError,
};

interface Envelope {
  status?: string;
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The typed error for an error answer; `body` is its parsed JSON (or undefined when it was not JSON). */
export function errorFromResponse(response: Response, body: unknown): MigrateCloudsError {
  const error = (body as Envelope | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : codeForStatus(response.status);
  const fields = {
    code,
    status: response.status,
    message:
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status} ${response.statusText}`,
    details: typeof error?.details === 'string' ? error.details : undefined,
    requestId: response.headers.get('x-request-id') ?? undefined,
  };
  if (code === 'rate_limit_exceeded')
    return new RateLimitError({ ...fields, retryAfter: retryAfterSeconds(response) });
  const Class = BY_CODE[code] ?? MigrateCloudsError;
  return new Class(fields);
}

/** An answer without an envelope (a proxy's 502 page, say) still gets the class its status means. */
function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'invalid_parameter',
    401: 'authentication_error',
    403: 'permission_denied',
    404: 'resource_not_found',
    409: 'conflict',
    413: 'invalid_parameter',
    429: 'rate_limit_exceeded',
    502: 'service_error',
    503: 'service_error',
    504: 'service_error',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'unknown_error');
}

/** Retry-After in seconds: a number of seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}
