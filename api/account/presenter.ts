// The account as GET /v1/account shows it.
import type { Account } from '../../store/types';
import type { z } from '../http/zod';
import type { accountSchema } from './schemas';

export const presentAccount = (a: Account, requestsPerMinute: number): z.infer<typeof accountSchema> => ({
  id: a.id,
  name: a.name,
  plan: a.plan,
  rate_limit: { requests_per_minute: requestsPerMinute },
  created_at: a.createdAt,
});
