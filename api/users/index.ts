// /v1/users and /v1/invites: the account's console users, and invitations by one-time link.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { invitePublicRoutes, userRoutes } from './routes';

export const usersResource = (ctx: ApiContext): Resource => ({ tag: 'users', routes: userRoutes(ctx) });

export const invitesPublicResource = (ctx: ApiContext): Resource => ({
  tag: 'users',
  routes: invitePublicRoutes(ctx),
});
