// The console's way in beside API keys: the mc_session cookie. A live session stands for its user with
// the user's role's scope; every change it makes needs the session's CSRF token and an allowed Origin.
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors';
import type { Config } from '../../config';
import type { Store } from '../../store/types';
import { publicBase } from '../connections/oauth/providers';
import type { AuthContext } from '../http/route';
import { clearSessionCookie, isSecure, readSessionCookie } from './cookies';
import { checkCsrfToken, checkOrigin, csrfTokenFor, isUnsafe } from './csrf';
import { scopeForRole, sessionLimits } from './policy';

export const hasSessionCookie = (req: Request, config: Config) =>
  readSessionCookie(req, config.PUBLIC_URL) !== undefined;

export const signedOut = () =>
  new AppError(
    'authentication_error',
    'Your session has ended (signed out, expired or revoked)',
    'Sign in again at /console, or send "Authorization: Bearer <api key>".',
  );

/**
 * The caller of a request carrying the session cookie; undefined (and the cookie cleared) when the session
 * is not live. Throws permission_denied for a change without the CSRF token or from a foreign Origin.
 */
export async function authenticateSession(
  req: Request,
  res: Response,
  deps: { store: Store; config: Config; now: Date },
): Promise<AuthContext | undefined> {
  const token = readSessionCookie(req, deps.config.PUBLIC_URL)!;
  const found = await deps.store.sessions.authenticate(token, {
    now: deps.now,
    idleMs: sessionLimits(deps.config).idleMs,
  });
  if (!found) {
    clearSessionCookie(res, isSecure(req, deps.config.PUBLIC_URL));
    return undefined;
  }
  if (isUnsafe(req.method)) {
    checkOrigin(req, publicBase(deps.config), true);
    checkCsrfToken(req, token);
  }
  const { session, user, account } = found;
  return {
    account,
    user,
    scope: scopeForRole(user.role),
    session: {
      id: session.id,
      expiresAt: session.expiresAt,
      lastSeenAt: session.lastSeenAt,
      csrfToken: csrfTokenFor(token),
    },
  };
}
