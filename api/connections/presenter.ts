// Connections as the API shows them: never their credentials.
import type { Connection } from '../../store/types';
import type { z } from '../http/zod';
import type { connectionSchema } from './schemas';

export const presentConnection = (c: Connection): z.infer<typeof connectionSchema> => ({
  id: c.id,
  service: c.service,
  name: c.name,
  config: c.config,
  status: c.status,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});
