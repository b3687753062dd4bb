// Migration items: what became of each file of a migration (GET /v1/migrations/:id/items).
import { MIGRATION_ITEM_STATUSES } from '../../store';
import { nextPageTokenSchema, pagingInput, timestampSchema } from '../http/schemas';
import { z } from '../http/zod';

export const itemStatusSchema = z.enum(MIGRATION_ITEM_STATUSES as ['copied', 'skipped', 'failed', 'deleted']);

export const listMigrationItemsInput = z
  .strictObject({
    // Checked by the route, so that a bad value is told the item statuses (not the migration ones).
    status: z
      .string()
      .optional()
      .openapi({
        type: 'string',
        enum: [...MIGRATION_ITEM_STATUSES],
        description: 'Only the items with this outcome; all of them when omitted.',
      }),
    ...pagingInput,
  })
  .openapi('ListMigrationItemsRequest');

export const migrationItemSchema = z
  .object({
    path: z.string().openapi({ description: 'The source path.', example: '/Photos/2024/beach.jpg' }),
    source_id: z
      .string()
      .nullable()
      .openapi({
        description:
          'The file’s id at the source service (Drive file id, OneDrive item id, Dropbox "id:…"; for local ' +
          'folders, the path): one item per source file, even where two share a path (Drive allows two ' +
          'files of one name in a folder). null for files deleted at the destination by mirror mode.',
        example: '1fzxTbfBH7dDHnU6aSnwEE5x2NrXV-QzW',
      }),
    destination_path: z.string().nullable().openapi({
      description: 'Where it was copied (or would have been).',
      example: '/Backup/2024/beach.jpg',
    }),
    note: z
      .string()
      .nullable()
      .openapi({
        description:
          'Why the destination name differs from the source’s: another file of the same name in its folder ' +
          '(Drive duplicates; names differing only by case at a case-insensitive destination), a name the ' +
          'destination refuses (encoded with invalid_names: "encode"), an export format’s extension. null when ' +
          'it does not differ.',
      }),
    size: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Bytes (written, for a copy); null when unknown.' }),
    status: itemStatusSchema.openapi({
      description:
        '"copied"; "skipped" (conflict policy, a Google Doc not exported…); "failed" after its retries; ' +
        '"deleted" at the destination by a mirror-mode sync run.',
    }),
    reason: z
      .string()
      .nullable()
      .openapi({ description: 'Why it was skipped or failed (the service’s own words where it gave some).' }),
    updated_at: timestampSchema,
  })
  .openapi('MigrationItem');

export const migrationItemListSchema = z.object({
  items: z.array(migrationItemSchema),
  next_page_token: nextPageTokenSchema,
});

export type MigrationItemBody = z.infer<typeof migrationItemSchema>;
