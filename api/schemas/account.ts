// GET /v1/account and the API key resources.
import { idSchema, timestampSchema } from './common';
import { z } from './zod';

export const accountSchema = z
  .object({
    id: idSchema('acc', 'the account'),
    name: z.string(),
    plan: z.enum(['pro', 'enterprise']),
    rate_limit: z.object({ requests_per_minute: z.number().int() }),
    created_at: timestampSchema,
  })
  .openapi('Account');

export const apiKeySchema = z
  .object({
    id: idSchema('key', 'the API key'),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: 'The first characters of the key, to recognise it.', example: 'mc_AbC123x' }),
    created_at: timestampSchema,
    last_used_at: timestampSchema.nullable(),
    revoked_at: timestampSchema.nullable(),
  })
  .openapi('ApiKey');

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z.string().openapi({ description: 'The secret key. Shown once: store it now.' }),
  })
  .openapi('CreatedApiKey');

export const createApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: 'backup script' }),
  })
  .openapi('CreateApiKeyRequest');

export const apiKeyListSchema = z.object({ api_keys: z.array(apiKeySchema) });
