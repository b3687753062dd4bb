// GET /v1/account: who the key belongs to, and its plan's rate limit.
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { accountSchema } from './schemas';
import { presentAccount } from './presenter';

export const accountRoutes = (deps: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/account',
    summary: 'The caller’s account: id, name, plan and rate limit',
    status: 200,
    response: accountSchema,
    async handler({ auth }) {
      return presentAccount(auth.account, deps.rateLimiter.limitFor(auth.account.plan));
    },
  }),
];
