// Bearer-key (or console session cookie, api/session) authentication and per-account rate limiting for
// every /v1 route except the public ones.
// Failed authentications are counted per address: past the budget, wrong keys get 429 with Retry-After
// instead of 401. A valid key is never refused by that guard — behind a load balancer every client may
// share one address, and anyone could otherwise lock every customer out. Keys carry 238 random bits, so
// the guard is about load and noise, not about making guessing feasible.
import type { RequestHandler, Response } from 'express';
import { AppError } from '../../common/errors';
import { addLogFields } from '../../common/log-context';
import type { Config } from '../../config';
import type { Store } from '../../store/types';
import { authenticateSession, hasSessionCookie, signedOut } from '../session/authenticate';
import type { AccountRateLimiter, RateLimitState } from './rate-limit';
import type { AuthContext } from './route';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

const unauthenticated = (message: string) =>
  new AppError(
    'authentication_error',
    message,
    'Send "Authorization: Bearer <api key>"; keys start with "mc_". Create one in the console (Settings > API Keys), with the CLI or POST /v1/api-keys.',
  );

function tooManyRequests(res: Response, state: RateLimitState, message: string): AppError {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(state.msBeforeReset / 1000))));
  return new AppError(
    'rate_limit_exceeded',
    message,
    `Wait for the number of seconds in the Retry-After header; the limit is ${state.limit} per minute.`,
  );
}

export function authenticate(deps: {
  store: Store;
  config: Config;
  rateLimiter: AccountRateLimiter;
  clock: () => Date;
}): RequestHandler {
  const { store, rateLimiter, clock } = deps;
  /** Counts a failed authentication from this address; past its budget, answers 429 instead of 401. */
  const refuse = async (res: Response, ip: string, error: AppError): Promise<never> => {
    const guard = await rateLimiter.recordFailedAuth(ip);
    setHeaders(res, guard);
    if (!guard.allowed)
      throw tooManyRequests(res, guard, 'Too many failed authentications from this address');
    throw error;
  };
  const setHeaders = (res: Response, state: RateLimitState) => {
    res.setHeader('X-RateLimit-Limit', String(state.limit));
    res.setHeader('X-RateLimit-Remaining', String(state.remaining));
    res.setHeader('X-RateLimit-Reset', String(Math.ceil((clock().getTime() + state.msBeforeReset) / 1000)));
  };
  return async (req, res, next) => {
    // Until a key is known, the headers show this address's failed-authentication budget.
    const ip = req.ip ?? 'unknown';
    setHeaders(res, await rateLimiter.peekFailedAuth(ip));
    const header = req.headers.authorization;
    let auth: AuthContext;
    if (!header && hasSessionCookie(req, deps.config)) {
      const found = await authenticateSession(req, res, { ...deps, now: clock() });
      if (!found) return refuse(res, ip, signedOut());
      auth = found;
    } else {
      if (!header) throw unauthenticated('Missing API key');
      const key = BEARER.exec(header)?.[1];
      if (!key) throw unauthenticated('Malformed Authorization header: expected "Bearer <api key>"');
      const found = await store.apiKeys.authenticate(key);
      if (!found) return refuse(res, ip, unauthenticated('Unknown or revoked API key'));
      auth = { account: found.account, apiKey: found.apiKey, scope: found.apiKey.scope };
    }
    // From here on, every line of this request names the account.
    addLogFields({ accountId: auth.account.id });

    const state = await rateLimiter.consume(auth.account.id, auth.account.plan);
    setHeaders(res, state);
    if (!state.allowed) throw tooManyRequests(res, state, 'Rate limit exceeded for this account');

    res.locals.auth = auth;
    next();
  };
}
