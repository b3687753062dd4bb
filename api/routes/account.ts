// GET /v1/account: who the key belongs to, and its plan's rate limit.
import type { ApiDeps } from '../deps';
import { presentAccount } from '../presenters';
import { defineRoute, type Route } from '../route';
import { accountSchema } from '../schemas/account';

export const accountRoutes = (deps: ApiDeps): Route[] => [
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
