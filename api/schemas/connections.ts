// Connections: an account's link to one storage service. Secrets are never part of any response.
import {
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  serviceNameSchema,
  serviceSchema,
  timestampSchema,
} from './common';
import { z } from './zod';

export const connectionSchema = z
  .object({
    id: idSchema('conn', 'the connection'),
    service: serviceNameSchema,
    name: z.string(),
    config: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Non-secret settings, e.g. { root } for local.' }),
    status: z.enum(['active', 'needs_reauth']),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .openapi('Connection');

export const createConnectionBody = z
  .strictObject({
    service: serviceSchema,
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Defaults to "<service>:<root>".' }),
    config: z.strictObject({
      root: z.string().min(1).max(4096).openapi({
        description: 'Folder on the server (inside MIGRATECLOUDS_LOCAL_ROOTS).',
        example: '/srv/nas/photos',
      }),
    }),
  })
  .openapi('CreateConnectionRequest');

export const listConnectionsInput = z.strictObject({ ...pagingInput });

export const connectionListSchema = z.object({
  connections: z.array(connectionSchema),
  next_page_token: nextPageTokenSchema,
});

export type CreateConnectionBody = z.infer<typeof createConnectionBody>;
