// The response envelope every endpoint answers with.
import type { Response } from 'express';
import type { AppError, ErrorCode } from '../../common/errors';

/** Said when an error carries no more specific advice. */
const DEFAULT_DETAILS: Record<ErrorCode, string> = {
  authentication_error: 'Send an API key as "Authorization: Bearer mc_..."; create keys with the CLI.',
  permission_denied: 'This API key may not perform this action on this resource.',
  invalid_parameter: 'Check the request against the API documentation at /docs.',
  resource_not_found: 'Check the id or path; resources of other accounts are not visible.',
  conflict: 'The resource is in a state that does not allow this action.',
  rate_limit_exceeded: 'Wait for the number of seconds in the Retry-After header, then retry.',
  service_error: 'The storage or workflow service failed; retry later.',
  internal_error: 'Try again later; if it persists, report the X-Request-Id of this response.',
};

export function sendSuccess(res: Response, status: number, data: unknown): void {
  res.status(status).json({ status: 'success', data });
}

export function sendError(res: Response, err: AppError): void {
  if (err.code === 'authentication_error') res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(err.httpStatus).json({
    status: 'error',
    error: { code: err.code, message: err.message, details: err.details ?? DEFAULT_DETAILS[err.code] },
  });
}
