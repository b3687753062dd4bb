// Drive v3's error answers, shaped as the real service sends them:
// {"error":{"code":N,"message":…,"errors":[{"domain","reason","message",…}]}}.
import type { Response } from 'express';
import type { FaultResponses } from '../common/faults';

export interface DriveErrorDetail {
  domain?: string;
  location?: string;
  locationType?: string;
}

export function driveError(
  res: Response,
  code: number,
  reason: string,
  message: string,
  detail: DriveErrorDetail = {},
): void {
  const { domain = 'global', ...rest } = detail;
  res.status(code).json({ error: { code, message, errors: [{ message, domain, reason, ...rest }] } });
}

export const notFound = (res: Response, id: string): void =>
  driveError(res, 404, 'notFound', `File not found: ${id}.`, {
    location: 'fileId',
    locationType: 'parameter',
  });

export const badRequest = (res: Response, message: string, location?: string): void =>
  driveError(
    res,
    400,
    location ? 'invalidParameter' : 'badRequest',
    message,
    location ? { location, locationType: 'parameter' } : {},
  );

/** What Google answers for a missing, unknown or expired access token. */
export function unauthenticated(res: Response): void {
  const message =
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
  res.setHeader('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
  res.status(401).json({
    error: {
      code: 401,
      message,
      errors: [
        {
          message: 'Invalid Credentials',
          domain: 'global',
          reason: 'authError',
          location: 'Authorization',
          locationType: 'header',
        },
      ],
      status: 'UNAUTHENTICATED',
    },
  });
}

/** How throttling looks: Drive's 403 userRateLimitExceeded by default, or a 429. */
export type ThrottleStyle = '403' | '429';

export function driveFaultResponses(style: () => ThrottleStyle): FaultResponses {
  return {
    throttled(res, retryAfterSeconds) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      if (style() === '429') {
        driveError(res, 429, 'rateLimitExceeded', 'Rate Limit Exceeded', { domain: 'usageLimits' });
        return;
      }
      driveError(res, 403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', { domain: 'usageLimits' });
    },
    serverError(res) {
      driveError(res, 500, 'internalError', 'Internal Error');
    },
  };
}
