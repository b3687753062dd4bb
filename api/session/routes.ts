// /v1/session: sign in with email and password or a one-time link (public: these are how a browser gets
// a session), who am I with the CSRF token, sign out. Sign-ins from another site's page are refused by
// Origin; wrong passwords are slowed per email and address and never say whether the email exists.
import { AppError, invalidParameter, permissionDenied } from '../../common/errors';
import { hashPassword, verifyPassword } from '../../common/password-hash';
import { passwordProblem } from '../../common/password-rules';
import type { ApiContext } from '../context';
import { publicBase } from '../connections/oauth/providers';
import { defineRoute, type AuthContext, type Route } from '../http/route';
import { isSecure, clearSessionCookie } from './cookies';
import { checkOrigin } from './csrf';
import { presentSession, type SessionAuth } from './presenter';
import {
  linkSignInBody,
  linkTokenParams,
  sessionSchema,
  signedOutEverywhereSchema,
  signedOutSchema,
  signInBody,
} from './schemas';
import { signInGuard } from './sign-in-guard';
import { startSession } from './start';

const wrongCredentials = () =>
  new AppError(
    'authentication_error',
    'Wrong email or password',
    'Check both and try again; each wrong attempt makes the next one wait longer. An owner can send you a one-time sign-in link.',
  );

export const linkUnusable = (param: string) =>
  invalidParameter(
    param,
    'is not a valid link: it was already used, has expired, or never existed',
    'Ask an owner of the account for a new link (or run `npm run cli -- admin user create`).',
  );

/** The session of a caller that signed in; API keys have none. */
export function needSession(auth: AuthContext): SessionAuth {
  if (!auth.user || !auth.session) {
    throw permissionDenied(
      'This endpoint is about console sessions; API keys have none',
      'Sign in with POST /v1/session, then call it with the mc_session cookie.',
    );
  }
  return auth as SessionAuth;
}

export const sessionPublicRoutes = (ctx: ApiContext): Route[] => {
  const guard = signInGuard(ctx.rateLimiter);
  const now = () => (ctx.clock ?? (() => new Date()))();
  return [
    defineRoute({
      method: 'post',
      path: '/v1/session',
      public: true,
      summary: 'Sign in to the console with email and password',
      description:
        'Public. Sets the HttpOnly session cookie `mc_session` and answers the session with its csrf_token. ' +
        'A wrong email or password answers 401 without saying which; every wrong attempt for one email from ' +
        'one address doubles the wait before the next is checked (250 ms, 500 ms, … up to 8 s), and after ' +
        '10 within 15 minutes answers 429 with Retry-After. A request from another site’s page (Origin) is refused.',
      input: signInBody,
      status: 200,
      response: sessionSchema,
      errors: ['authentication_error', 'permission_denied', 'rate_limit_exceeded'],
      async handler({ input, req, res }) {
        checkOrigin(req, publicBase(ctx.config), false);
        const ip = req.ip ?? 'unknown';
        await guard.before(input.email, ip, res);
        const found = await ctx.store.users.findForSignIn(input.email);
        // Always one scrypt check, whether or not the email exists or has a password.
        const ok = await verifyPassword(input.password, found?.passwordHash);
        if (!found || !ok) {
          await guard.failed(input.email, ip);
          throw wrongCredentials();
        }
        await guard.succeeded(input.email, ip);
        return startSession(ctx, req, res, found);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/session/login-links/:token',
      public: true,
      summary: 'Sign in with a one-time link (and optionally choose a password)',
      description:
        'Public. The token of a sign-in link printed by `npm start` or `migrateclouds admin user create`; it ' +
        'works once, within a day. With `password`, the user’s password is set too (12 to 1024 characters, ' +
        'not the email, not a common one); a refused password leaves the link unused.',
      params: linkTokenParams,
      input: linkSignInBody,
      status: 200,
      response: sessionSchema,
      errors: ['permission_denied'],
      async handler({ params, input, req, res }) {
        checkOrigin(req, publicBase(ctx.config), false);
        const link = await ctx.store.loginTokens.get(params.token);
        if (!link || link.purpose !== 'login' || !link.userId) throw linkUnusable('token');
        const user = await ctx.store.users.get(link.accountId, link.userId);
        const account = await ctx.store.accounts.get(link.accountId);
        if (!user || !account) throw linkUnusable('token');
        const problem =
          input.password === undefined ? undefined : passwordProblem(input.password, user.email);
        if (problem) throw invalidParameter('password', problem, 'Choose a longer, less common password.');
        if (!(await ctx.store.loginTokens.consume(params.token, 'login', now()))) throw linkUnusable('token');
        if (input.password !== undefined) {
          await ctx.store.users.setPasswordHash(user.id, await hashPassword(input.password));
          user.hasPassword = true;
          // A new password ends the sessions signed in before it (as sign-out everywhere would).
          await ctx.store.sessions.revokeAllForUser(user.id, now());
        }
        return startSession(ctx, req, res, { user, account });
      },
    }),
  ];
};

export const sessionRoutes = (ctx: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/session',
    summary: 'The signed-in user, their account and the CSRF token',
    description: 'Needs the session cookie. The csrf_token goes in X-CSRF-Token with every change.',
    status: 200,
    response: sessionSchema,
    async handler({ auth, res }) {
      res.setHeader('Cache-Control', 'no-store');
      return presentSession(needSession(auth), ctx.config);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/session',
    scope: 'read',
    summary: 'Sign out: the session is revoked and its cookie refused from now on',
    description: 'Needs the session cookie and X-CSRF-Token.',
    status: 200,
    response: signedOutSchema,
    async handler({ auth, req, res }) {
      const { session } = needSession(auth);
      await ctx.store.sessions.revoke(session.id, (ctx.clock ?? (() => new Date()))());
      clearSessionCookie(res, isSecure(req, ctx.config.PUBLIC_URL));
      return { signed_out: true as const };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sessions',
    scope: 'read',
    summary: 'Sign out everywhere: every session of the signed-in user ends, this one included',
    description:
      'Needs the session cookie and X-CSRF-Token. Every browser signed in as this user is signed out; ' +
      'API keys are not affected (revoke them with DELETE /v1/api-keys/{id}).',
    status: 200,
    response: signedOutEverywhereSchema,
    async handler({ auth, req, res }) {
      const { user } = needSession(auth);
      const ended = await ctx.store.sessions.revokeAllForUser(user.id, (ctx.clock ?? (() => new Date()))());
      clearSessionCookie(res, isSecure(req, ctx.config.PUBLIC_URL));
      return { signed_out: true as const, sessions_ended: ended };
    },
  }),
];
