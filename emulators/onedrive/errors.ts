// Microsoft Graph's error answers, shaped as the service sends them:
// {"error":{"code":…,"message":…,"innerError":{"date","request-id","client-request-id"}}}.
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { FaultResponses } from '../common/faults';

export function graphError(res: Response, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  res.setHeader('request-id', requestId);
  res.status(status).json({
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  });
}

export const itemNotFound = (res: Response): void =>
  graphError(res, 404, 'itemNotFound', 'The resource could not be found.');

export const invalidRequest = (res: Response, message: string): void =>
  graphError(res, 400, 'invalidRequest', message);

export const nameAlreadyExists = (res: Response): void =>
  graphError(res, 409, 'nameAlreadyExists', 'The specified item name already exists.');

/** What Graph answers for a missing, unknown or expired access token. */
export function unauthenticated(res: Response, empty: boolean): void {
  res.setHeader(
    'WWW-Authenticate',
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  );
  graphError(
    res,
    401,
    'InvalidAuthenticationToken',
    empty ? 'Access token is empty.' : 'Access token has expired or is not yet valid.',
  );
}

/** Throttling answers: 429 TooManyRequests (default), 429 activityLimitReached, or 503. */
export type ThrottleStyle = 'TooManyRequests' | 'activityLimitReached' | '503';

export function graphFaultResponses(style: () => ThrottleStyle): FaultResponses {
  return {
    throttled(res, retryAfterSeconds) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      const s = style();
      if (s === '503') return graphError(res, 503, 'serviceNotAvailable', 'Service unavailable.');
      if (s === 'activityLimitReached') {
        return graphError(res, 429, 'activityLimitReached', 'The application or user has been throttled.');
      }
      graphError(res, 429, 'TooManyRequests', 'Too many requests.');
    },
    serverError(res) {
      graphError(res, 500, 'generalException', 'An unspecified error has occurred.');
    },
  };
}
