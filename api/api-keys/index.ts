// /v1/api-keys: list by prefix, create (the key shown once), revoke.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { apiKeyRoutes } from './routes';

export const apiKeysResource = (ctx: ApiContext): Resource => ({
  tag: 'api-keys',
  routes: apiKeyRoutes(ctx),
});
