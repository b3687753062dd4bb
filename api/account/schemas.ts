// GET /v1/account.
import { idSchema, timestampSchema } from '../http/schemas';
import { z } from '../http/zod';

export const accountSchema = z
  .object({
    id: idSchema('acc', 'the account'),
    name: z.string(),
    plan: z.enum(['pro', 'enterprise']),
    rate_limit: z.object({ requests_per_minute: z.number().int() }),
    created_at: timestampSchema,
  })
  .openapi('Account');
