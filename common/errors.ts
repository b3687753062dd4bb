// One error type for the whole app; api/ maps it once to the HTTP envelope.

export const ERROR_STATUS = {
  authentication_error: 401,
  permission_denied: 403,
  invalid_parameter: 400,
  resource_not_found: 404,
  conflict: 409,
  rate_limit_exceeded: 429,
  service_error: 502,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string,
    /** HTTP status when it differs from the code's default (413 for an oversized body). */
    readonly httpStatus: number = ERROR_STATUS[code],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidParameter = (param: string, message: string, details?: string) =>
  new AppError('invalid_parameter', `Invalid parameter '${param}': ${message}`, details);

export const notFound = (what: string, id?: string) =>
  new AppError('resource_not_found', id ? `${what} '${id}' was not found` : `${what} was not found`);

export const permissionDenied = (message: string, details?: string) =>
  new AppError('permission_denied', message, details);

export const conflict = (message: string, details?: string) => new AppError('conflict', message, details);
