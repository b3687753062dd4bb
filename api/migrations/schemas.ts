// Migrations: copy a folder tree (or one file) from one connection to another.
import {
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  pathSchema,
  serviceNameSchema,
  timestampSchema,
} from '../http/schemas';
import { migrationOptionsInput, migrationOptionsSchema } from './options';
import { z } from '../http/zod';
import { MIGRATION_STATUSES } from '../../contract';

export const endpointInput = z.strictObject({
  connection_id: idSchema('conn', 'the connection'),
  path: pathSchema,
});

export const createMigrationBody = z
  .strictObject({
    source: endpointInput,
    destination: endpointInput,
    options: migrationOptionsInput,
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

export const endpointSchema = z.object({
  connection_id: z.string(),
  service: serviceNameSchema,
  path: z.string(),
});

export const migrationSchema = z
  .object({
    id: idSchema('mig', 'the migration'),
    status: z.enum(MIGRATION_STATUSES),
    source: endpointSchema,
    destination: endpointSchema,
    options: migrationOptionsSchema,
    progress: z.object({
      files_discovered: z.number().int(),
      bytes_discovered: z.number().int(),
      folders_discovered: z.number().int(),
      files_copied: z.number().int(),
      bytes_copied: z.number().int(),
      files_skipped: z.number().int(),
      bytes_skipped: z.number().int(),
      files_failed: z.number().int(),
      files_deleted: z.number().int().openapi({
        description: 'Files deleted at the destination by a sync run in mirror mode (delete_extraneous).',
      }),
      listing_complete: z.boolean(),
      throughput_bytes_per_second: z.number().openapi({
        description:
          'While running: bytes copied per second over about the last 30 seconds. Once finished: the ' +
          'average over the run.',
      }),
      eta_seconds: z
        .number()
        .int()
        .nullable()
        .openapi({
          description:
            'Seconds left at the current throughput: null until the whole source is listed, while ' +
            'paused (and while nothing is being copied); 0 once completed.',
        }),
    }),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the migration failed, or its first file failure.' }),
    sync_id: z.string().nullable().openapi({
      description: 'The recurring sync that started this migration as one of its runs, or null.',
    }),
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
