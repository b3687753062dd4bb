// Migrations: copy a folder tree (or one file) from one connection to another.
import {
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  pathSchema,
  serviceNameSchema,
  timestampSchema,
} from './common';
import { z } from './zod';

export const MIGRATION_STATUSES = [
  'pending',
  'running',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;

const endpointInput = z.strictObject({
  connection_id: idSchema('conn', 'the connection'),
  path: pathSchema,
});

export const createMigrationBody = z
  .strictObject({
    source: endpointInput,
    destination: endpointInput,
    options: z
      .strictObject({
        conflict: z
          .enum(['skip', 'overwrite'])
          .default('skip')
          .openapi({ description: 'What to do when the destination already has a file of that name.' }),
      })
      .default({ conflict: 'skip' }),
  })
  .openapi('CreateMigrationRequest');

export const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;

/** Documents the header; the route checks it against IDEMPOTENCY_KEY. */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY).optional().openapi({
    description: 'Retrying a POST with the same key returns the same migration instead of starting another.',
  }),
});

export const listMigrationsInput = z.strictObject({
  status: z.enum(MIGRATION_STATUSES).optional(),
  ...pagingInput,
});

const endpointSchema = z.object({ connection_id: z.string(), service: serviceNameSchema, path: z.string() });

export const migrationSchema = z
  .object({
    id: idSchema('mig', 'the migration'),
    status: z.enum(MIGRATION_STATUSES),
    source: endpointSchema,
    destination: endpointSchema,
    options: z.object({ conflict: z.enum(['skip', 'overwrite']) }),
    progress: z.object({
      files_discovered: z.number().int(),
      bytes_discovered: z.number().int(),
      folders_discovered: z.number().int(),
      files_copied: z.number().int(),
      bytes_copied: z.number().int(),
      files_skipped: z.number().int(),
      bytes_skipped: z.number().int(),
      files_failed: z.number().int(),
      listing_complete: z.boolean(),
      throughput_bytes_per_second: z.number(),
    }),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the migration failed, or its first file failure.' }),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    started_at: timestampSchema.nullable(),
    finished_at: timestampSchema.nullable(),
  })
  .openapi('Migration');

export const migrationListSchema = z.object({
  migrations: z.array(migrationSchema),
  next_page_token: nextPageTokenSchema,
});

export type CreateMigrationBody = z.infer<typeof createMigrationBody>;
export type MigrationBody = z.infer<typeof migrationSchema>;
