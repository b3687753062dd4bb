// API keys as the API shows them: the prefix, never the key.
import type { ApiKey } from '../../store/types';
import type { z } from '../http/zod';
import type { apiKeySchema } from './schemas';

export const presentApiKey = (k: ApiKey): z.infer<typeof apiKeySchema> => ({
  id: k.id,
  name: k.name,
  scope: k.scope,
  prefix: k.prefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
});
