// /v1/webhooks: endpoints, signed deliveries and their log, test events.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { webhookRoutes } from './routes';

export const webhooksResource = (ctx: ApiContext): Resource => ({
  tag: 'webhooks',
  routes: webhookRoutes(ctx),
});
