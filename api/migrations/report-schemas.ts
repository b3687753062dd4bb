// The migration report (GET /v1/migrations/:id/report): its items counted by status and by reason.
import { timestampSchema } from '../http/schemas';
import { z } from '../http/zod';
import { itemStatusSchema } from './items-schemas';
import { MIGRATION_STATUSES } from '../../contract';

const count = (description: string) => z.number().int().openapi({ description });

const statusCountSchema = z.object({
  status: itemStatusSchema,
  count: count('Items with this status.'),
  bytes: count('Their bytes (the sizes known).'),
});

const reasonCountSchema = z.object({
  status: itemStatusSchema.openapi({ description: '"failed" or "skipped".' }),
  reason: z
    .string()
    .nullable()
    .openapi({
      description:
        'The reason with what differs from file to file replaced: <path>, "…" (a name), <time>, <id> ' +
        '(a hash or provider id), <n> (a number).',
      example: 'The source file no longer exists: <path>',
    }),
  count: count('Items with a reason of this group.'),
  bytes: count('Their bytes (the sizes known).'),
  example: z.string().nullable().openapi({ description: 'One of the reasons, as recorded.' }),
});

const failureSchema = z.object({
  path: z.string().openapi({ description: 'The source path.' }),
  destination_path: z.string().nullable(),
  size: z.number().int().nullable().openapi({ description: 'Bytes; null when unknown.' }),
  reason: z.string().nullable(),
});

export const migrationReportSchema = z
  .object({
    migration_id: z.string(),
    status: z.enum(MIGRATION_STATUSES).openapi({ description: 'The migration’s status as last recorded.' }),
    started_at: timestampSchema.nullable(),
    finished_at: timestampSchema.nullable(),
    totals: z.object({
      files: count('Every item recorded.'),
      bytes: count('Their bytes (the sizes known).'),
      copied: count('Items copied.'),
      skipped: count('Items skipped.'),
      failed: count('Items failed.'),
      deleted: count('Items deleted at the destination by a mirror-mode sync run.'),
    }),
    by_status: z.array(statusCountSchema).openapi({ description: 'Every item status, in a fixed order.' }),
    by_reason: z.array(reasonCountSchema).openapi({
      description: 'Failed and skipped items by reason, most frequent first (at most 100 groups).',
    }),
    largest_failures: z
      .array(failureSchema)
      .openapi({ description: 'Up to 20 failed items, largest first (unknown sizes last).' }),
  })
  .openapi('MigrationReport');

export type MigrationReportBody = z.infer<typeof migrationReportSchema>;
