// GET /v1/account: the caller's account and its rate limit.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { accountRoutes } from './routes';

export const accountResource = (ctx: ApiContext): Resource => ({
  tag: 'account',
  routes: accountRoutes(ctx),
});
