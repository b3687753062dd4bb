// Webhooks: endpoints that receive signed events, and their deliveries.
import { idSchema, nextPageTokenSchema, pagingInput, plainText, timestampSchema } from '../http/schemas';
import { z } from '../http/zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT } from '../../contract';

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).openapi({
  description: 'An event type an endpoint can subscribe to.',
  example: 'migration.completed',
});

export const webhookSchema = z
  .object({
    id: idSchema('wh', 'the webhook'),
    url: z.string().openapi({ example: 'https://example.com/hooks/migrateclouds' }),
    events: z.array(webhookEventTypeSchema),
    description: z.string().nullable(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .openapi('Webhook');

export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().openapi({
      description:
        'The signing secret (HMAC-SHA256 key of the MigrateClouds-Signature header). Shown only in this ' +
        'response: store it now.',
      example: 'whsec_0123456789abcdefghijABCDEFGHIJ0123456789',
    }),
  })
  .openapi('CreatedWebhook');

export const createWebhookBody = z
  .strictObject({
    url: plainText(z.string().trim().min(1).max(2048)).openapi({
      description:
        'Where events are POSTed: an https:// URL whose host does not resolve to a private, loopback, ' +
        'link-local or metadata address.',
      example: 'https://example.com/hooks/migrateclouds',
    }),
    events: z
      .array(webhookEventTypeSchema)
      .min(1, 'must name at least one event type')
      .max(WEBHOOK_EVENT_TYPES.length * 2)
      .openapi({ description: 'The event types to receive.' }),
    description: plainText(z.string().trim().max(500), { multiline: true })
      .nullish()
      .openapi({ description: 'A note for you; it may have line breaks.' }),
  })
  .openapi('CreateWebhookRequest');

export const listWebhooksInput = z.strictObject({ ...pagingInput });

export const webhookListSchema = z.object({
  webhooks: z.array(webhookSchema),
  next_page_token: nextPageTokenSchema,
});

export const webhookParams = z.strictObject({ id: idSchema('wh', 'the webhook') });

export const deliveryParams = z.strictObject({
  id: idSchema('wh', 'the webhook'),
  delivery_id: idSchema('dlv', 'the delivery'),
});

export const webhookDeliverySchema = z
  .object({
    id: idSchema('dlv', 'the delivery').openapi({
      description: 'Sent as the MigrateClouds-Delivery header; the same on every retry.',
    }),
    event_id: idSchema('evt', 'the event'),
    event_type: z.enum([...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT]),
    status: z.enum(['pending', 'delivered', 'failed']).openapi({
      description:
        '`pending` while attempts go on, `delivered` on a 2xx answer, `failed` when retries ended.',
    }),
    attempts: z.number().int(),
    last_status_code: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'HTTP status of the last attempt.' }),
    last_latency_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    last_attempt_at: timestampSchema.nullable(),
    finished_at: timestampSchema.nullable(),
  })
  .openapi('WebhookDelivery');

export const webhookAttemptSchema = z
  .object({
    attempt: z.number().int(),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    created_at: timestampSchema,
  })
  .openapi('WebhookDeliveryAttempt');

export const deliveryDetailSchema = webhookDeliverySchema
  .extend({ attempt_log: z.array(webhookAttemptSchema) })
  .openapi('WebhookDeliveryDetail');

export const listDeliveriesInput = z.strictObject({ ...pagingInput });

export const deliveryListSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
  next_page_token: nextPageTokenSchema,
});

export type WebhookBody = z.infer<typeof webhookSchema>;
export type WebhookDeliveryBody = z.infer<typeof webhookDeliverySchema>;
