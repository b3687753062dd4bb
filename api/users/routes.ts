// Users of the account: list them; owners (scope admin) invite people by a one-time link; the invitee
// opens it, chooses a password and is signed in. An invite works once, within a week.
import { conflict, invalidParameter } from '../../common/errors';
import { hashPassword } from '../../common/password-hash';
import { passwordProblem } from '../../common/password-rules';
import type { ApiContext } from '../context';
import { publicBase } from '../connections/oauth/providers';
import { defineRoute, type Route } from '../http/route';
import { checkOrigin } from '../session/csrf';
import { consoleLinkUrl, INVITE_TTL_MS } from '../session/policy';
import { presentUser } from '../session/presenter';
import { linkUnusable } from '../session/routes';
import { linkTokenParams, sessionSchema } from '../session/schemas';
import { startSession } from '../session/start';
import {
  acceptInviteBody,
  createInviteBody,
  inviteInfoSchema,
  inviteSchema,
  userListSchema,
} from './schemas';

const clockOf = (ctx: ApiContext) => ctx.clock ?? (() => new Date());

const emailTaken = (email: string) =>
  conflict(`${email} already has a MigrateClouds user`, 'An email belongs to one user of one account.');

export const userRoutes = (ctx: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/users',
    summary: 'The account’s console users',
    status: 200,
    response: userListSchema,
    async handler({ auth }) {
      return { users: (await ctx.store.users.list(auth.account.id)).map(presentUser) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/invites',
    scope: 'admin',
    summary: 'Invite someone to the account: answers a one-time link to send them',
    description: 'Owners (and admin keys) only. The link works once, within 7 days.',
    input: createInviteBody,
    status: 201,
    response: inviteSchema,
    errors: ['conflict'],
    async handler({ auth, input }) {
      if (await ctx.store.users.findForSignIn(input.email)) throw emailTaken(input.email);
      const now = clockOf(ctx)();
      const { token, expiresAt } = await ctx.store.loginTokens.create({
        accountId: auth.account.id,
        purpose: 'invite',
        email: input.email.toLowerCase(),
        role: input.role,
        now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      });
      return {
        email: input.email.toLowerCase(),
        role: input.role,
        invite_url: consoleLinkUrl(ctx.config, 'invite', token),
        expires_at: expiresAt,
      };
    },
  }),
];

export const invitePublicRoutes = (ctx: ApiContext): Route[] => {
  const usable = async (token: string) => {
    const invite = await ctx.store.loginTokens.get(token);
    const now = clockOf(ctx)();
    if (
      !invite ||
      invite.purpose !== 'invite' ||
      invite.usedAt ||
      Date.parse(invite.expiresAt) <= now.getTime()
    )
      throw linkUnusable('token');
    const account = await ctx.store.accounts.get(invite.accountId);
    if (!account || !invite.email || !invite.role) throw linkUnusable('token');
    return { invite: { ...invite, email: invite.email, role: invite.role }, account, now };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/v1/invites/:token',
      public: true,
      summary: 'What an invite is for (email, role, account), while it can be accepted',
      params: linkTokenParams,
      status: 200,
      response: inviteInfoSchema,
      async handler({ params }) {
        const { invite, account } = await usable(params.token);
        return {
          email: invite.email,
          role: invite.role,
          account_name: account.name,
          expires_at: invite.expiresAt,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/invites/:token/accept',
      public: true,
      summary: 'Accept an invite: choose a password, become a user and sign in',
      description:
        'Public. Works once. The password must be 12 to 1024 characters, not the email, not a common one. ' +
        'Sets the session cookie like POST /v1/session.',
      params: linkTokenParams,
      input: acceptInviteBody,
      status: 201,
      response: sessionSchema,
      errors: ['conflict', 'permission_denied'],
      async handler({ params, input, req, res }) {
        checkOrigin(req, publicBase(ctx.config), false);
        const { invite, account, now } = await usable(params.token);
        const problem = passwordProblem(input.password, invite.email);
        if (problem) throw invalidParameter('password', problem, 'Choose a longer, less common password.');
        const passwordHash = await hashPassword(input.password);
        if (!(await ctx.store.loginTokens.consume(params.token, 'invite', now))) throw linkUnusable('token');
        const user = await ctx.store.users.create({
          accountId: account.id,
          email: invite.email,
          role: invite.role,
          passwordHash,
        });
        if (!user) throw emailTaken(invite.email);
        return startSession(ctx, req, res, { user, account });
      },
    }),
  ];
};
