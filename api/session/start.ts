// Starting a session once someone proved who they are: a new row, the cookie, and what GET /v1/session
// would answer (with the CSRF token the console needs for its first change).
import type { Request, Response } from 'express';
import type { Account, User } from '../../store/types';
import type { ApiContext } from '../context';
import { isSecure, readSessionCookie, setSessionCookie } from './cookies';
import { csrfTokenFor } from './csrf';
import { scopeForRole, sessionLimits } from './policy';
import { presentSession, type SessionAuth } from './presenter';

export async function startSession(
  ctx: ApiContext,
  req: Request,
  res: Response,
  who: { user: User; account: Account },
) {
  const now = (ctx.clock ?? (() => new Date()))();
  const { maxMs } = sessionLimits(ctx.config);
  // Session fixation: a cookie the browser already had (perhaps planted) is ended, never promoted; the
  // sign-in always gets a new random token.
  const previous = readSessionCookie(req, ctx.config.PUBLIC_URL);
  if (previous) await ctx.store.sessions.revokeToken(previous, now);
  const { session, token } = await ctx.store.sessions.create({
    accountId: who.account.id,
    userId: who.user.id,
    now,
    expiresAt: new Date(now.getTime() + maxMs),
  });
  setSessionCookie(res, token, { secure: isSecure(req, ctx.config.PUBLIC_URL), maxAgeMs: maxMs });
  res.setHeader('Cache-Control', 'no-store');
  const auth: SessionAuth = {
    ...who,
    scope: scopeForRole(who.user.role),
    session: {
      id: session.id,
      expiresAt: session.expiresAt,
      lastSeenAt: session.lastSeenAt,
      csrfToken: csrfTokenFor(token),
    },
  };
  return presentSession(auth, ctx.config);
}
