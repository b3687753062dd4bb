// API keys: listed by prefix, the key itself shown once when created.
import { idSchema, plainText, timestampSchema } from '../http/schemas';
import { API_KEY_SCOPES } from '../../store';
import { z } from '../http/zod';

const scopeSchema = z.enum(API_KEY_SCOPES).openapi({
  description:
    '`read`: every GET. `write`: also migrations, syncs, connections. `admin`: also keys, webhooks.',
});

export const apiKeySchema = z
  .object({
    id: idSchema('key', 'the API key'),
    name: z.string(),
    scope: scopeSchema,
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
    name: plainText(z.string().trim().min(1).max(200)).openapi({ example: 'backup script' }),
    scope: scopeSchema.default('read'),
  })
  .openapi('CreateApiKeyRequest');

export const apiKeyListSchema = z.object({ api_keys: z.array(apiKeySchema) });
