// API keys: list (prefix only), create (the key is shown once), revoke (effective immediately). Only an
// `admin` key manages keys, so a leaked read-only key cannot mint itself more power.
import { notFound } from '../../common/errors';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { presentApiKey } from './presenter';
import { apiKeyListSchema, apiKeySchema, createApiKeyBody, createdApiKeySchema } from './schemas';

export const apiKeyRoutes = ({ store }: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/api-keys',
    scope: 'admin',
    summary: 'List the account’s API keys (never the keys themselves)',
    status: 200,
    response: apiKeyListSchema,
    async handler({ auth }) {
      const keys = await store.apiKeys.list(auth.account.id);
      return { api_keys: keys.map(presentApiKey) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/api-keys',
    scope: 'admin',
    summary: 'Create an API key; the response is the only time the key is shown',
    description:
      'Without `scope` the key may only read (`read`): least power unless asked for more. `write` also ' +
      'changes migrations, syncs and connections; `admin` also manages keys, webhooks and the account.',
    input: createApiKeyBody,
    status: 201,
    response: createdApiKeySchema,
    async handler({ auth, input, res }) {
      const { apiKey, plaintext } = await store.apiKeys.create({
        accountId: auth.account.id,
        name: input.name,
        scope: input.scope,
      });
      res.location(`/v1/api-keys/${apiKey.id}`);
      return { ...presentApiKey(apiKey), key: plaintext };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/api-keys/:id',
    scope: 'admin',
    summary: 'Revoke an API key immediately',
    params: idParams('key', 'the API key'),
    status: 200,
    response: apiKeySchema,
    errors: ['resource_not_found'],
    async handler({ auth, params }) {
      if (!(await store.apiKeys.revoke(auth.account.id, params.id))) throw notFound('API key', params.id);
      const revoked = (await store.apiKeys.list(auth.account.id)).find((k) => k.id === params.id);
      if (!revoked) throw notFound('API key', params.id);
      return presentApiKey(revoked);
    },
  }),
];
