// Webhooks: register an endpoint (its signing secret shown once), list, get, delete, send a test
// event, and read its deliveries. Events are published by the worker (activities/events.ts); the test
// event goes through the same store rows and delivery workflow.
import { AppError, invalidParameter, notFound } from '../../common/errors';
import { newId } from '../../common/ids';
import { checkOutboundUrl, OutboundUrlError } from '../../common/outbound-url';
import { newWebhookSecret } from '../../common/webhook-signature';
import type { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from '../../store/types';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import {
  createdWebhookSchema,
  createWebhookBody,
  deliveryDetailSchema,
  deliveryListSchema,
  deliveryParams,
  listDeliveriesInput,
  listWebhooksInput,
  webhookDeliverySchema,
  webhookListSchema,
  webhookParams,
  webhookSchema,
  type WebhookBody,
  type WebhookDeliveryBody,
} from './schemas';
import { WEBHOOK_TEST_EVENT } from '../../contract';

const presentWebhook = (w: Webhook): WebhookBody => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

const presentDelivery = (d: WebhookDelivery): WebhookDeliveryBody => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.lastStatusCode,
  last_latency_ms: d.lastLatencyMs,
  last_error: d.lastError,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  last_attempt_at: d.lastAttemptAt,
  finished_at: d.finishedAt,
});

const presentAttempt = (a: WebhookDeliveryAttempt) => ({
  attempt: a.attempt,
  status_code: a.statusCode,
  latency_ms: a.latencyMs,
  error: a.error,
  created_at: a.createdAt,
});

export const webhookRoutes = (deps: ApiContext): Route[] => {
  const { store, config } = deps;
  const policy = { allowPrivate: config.MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE };
  const { publisher } = deps;
  const load = async (accountId: string, id: string) => {
    const webhook = await store.webhooks.get(accountId, id);
    if (!webhook) throw notFound('Webhook', id);
    return webhook;
  };

  return [
    defineRoute({
      method: 'post',
      path: '/v1/webhooks',
      scope: 'admin',
      summary: 'Register a webhook endpoint; the response is the only time its signing secret is shown',
      description:
        'Events are POSTed as JSON `{id, type, created_at, data}` with the headers MigrateClouds-Signature ' +
        '(`t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`), MigrateClouds-Event and MigrateClouds-Delivery ' +
        '(the same on every retry). A 2xx answer delivers; timeouts, connection errors, 5xx and 429 are ' +
        'retried with exponential backoff for up to 24 hours; any other answer stops retries.',
      input: createWebhookBody,
      status: 201,
      response: createdWebhookSchema,
      async handler({ auth, input, res }) {
        try {
          await checkOutboundUrl(input.url, policy);
        } catch (err) {
          if (!(err instanceof OutboundUrlError)) throw err;
          throw invalidParameter(
            'url',
            err.message,
            'Use an https:// URL of a publicly reachable host (not a private, loopback, link-local or metadata address).',
          );
        }
        if (!deps.box) {
          throw new AppError(
            'internal_error',
            'Webhooks are not available on this server',
            'The operator must set MIGRATECLOUDS_ENCRYPTION_KEY (see docs/operations/configuration.md).',
          );
        }
        const id = newId('wh');
        const secret = newWebhookSecret();
        const webhook = await store.webhooks.create({
          id,
          accountId: auth.account.id,
          url: input.url,
          events: [...new Set(input.events)],
          description: input.description ?? null,
          secret: deps.box.seal(secret, id),
        });
        res.location(`/v1/webhooks/${webhook.id}`);
        return { ...presentWebhook(webhook), secret };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhooks',
      scope: 'admin',
      summary: 'List webhook endpoints, oldest first (never their secrets)',
      input: listWebhooksInput,
      status: 200,
      response: webhookListSchema,
      async handler({ auth, input }) {
        const page = await store.webhooks.list(auth.account.id, {
          pageSize: input.page_size,
          pageToken: input.page_token,
        });
        return { webhooks: page.items.map(presentWebhook), next_page_token: page.nextPageToken };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhooks/:id',
      scope: 'admin',
      summary: 'One webhook endpoint',
      params: webhookParams,
      status: 200,
      response: webhookSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        return presentWebhook(await load(auth.account.id, params.id));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/webhooks/:id',
      scope: 'admin',
      summary: 'Delete a webhook endpoint and its deliveries (pending ones are not sent)',
      params: webhookParams,
      status: 200,
      response: webhookSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        const webhook = await load(auth.account.id, params.id);
        if (!(await store.webhooks.delete(auth.account.id, params.id))) throw notFound('Webhook', params.id);
        return presentWebhook(webhook);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhooks/:id/test',
      scope: 'admin',
      summary: `Send a ${WEBHOOK_TEST_EVENT} event to this endpoint`,
      description: 'Delivered like any event (signed, retried); answers the delivery, to follow in its list.',
      params: webhookParams,
      status: 202,
      response: webhookDeliverySchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        const webhook = await load(auth.account.id, params.id);
        const { deliveries } = await publisher.publishTo(
          auth.account.id,
          WEBHOOK_TEST_EVENT,
          { webhook_id: webhook.id, message: 'A test event from MigrateClouds' },
          [webhook.id],
        );
        return presentDelivery(deliveries[0]!);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhooks/:id/deliveries',
      scope: 'admin',
      summary: 'Deliveries to this endpoint, newest first',
      input: listDeliveriesInput,
      params: webhookParams,
      status: 200,
      response: deliveryListSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params, input }) {
        await load(auth.account.id, params.id);
        const page = await store.webhooks.listDeliveries(auth.account.id, params.id, {
          pageSize: input.page_size,
          pageToken: input.page_token,
        });
        return { deliveries: page.items.map(presentDelivery), next_page_token: page.nextPageToken };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhooks/:id/deliveries/:delivery_id',
      scope: 'admin',
      summary: 'One delivery with every attempt (status code, latency, error)',
      params: deliveryParams,
      status: 200,
      response: deliveryDetailSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        const delivery = await store.webhooks.getDelivery(auth.account.id, params.delivery_id);
        if (!delivery || delivery.webhookId !== params.id) throw notFound('Delivery', params.delivery_id);
        const attempts = await store.webhooks.listAttempts(auth.account.id, delivery.id);
        return { ...presentDelivery(delivery), attempt_log: attempts.map(presentAttempt) };
      },
    }),
  ];
};
