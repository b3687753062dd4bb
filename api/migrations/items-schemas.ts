// Migration items: what became of each file of a migration (GET /v1/migrations/:id/items).
import { MIGRATION_ITEM_STATUSES } from '../../store';
import { nextPageTokenSchema, pagingInput, timestampSchema } from '../http/schemas';
import { flexibleInt } from '../http/validation';
import { z } from '../http/zod';

/** How the items come: JSON pages, or every item in one response (items-stream.ts). */
export const ITEM_FORMATS = ['json', 'csv', 'ndjson'] as const;
export type ItemFormat = (typeof ITEM_FORMATS)[number];
export const DEFAULT_ITEMS_PAGE_SIZE = 100;

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
    format: z
      .enum(ITEM_FORMATS)
      .optional()
      .openapi({
        description:
          'json (the default): pages of items. csv or ndjson: every item (of the status asked for) in one ' +
          'streamed response, counted as one request; without page_size and page_token. Wins over the ' +
          'Accept header (text/csv or application/x-ndjson ask for the same).',
      }),
    // No default here: the route must tell a page_size given (refused with a stream format) from none.
    page_size: flexibleInt(1, 1000).optional().openapi({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: DEFAULT_ITEMS_PAGE_SIZE,
      description: 'Items per page (1–1000); JSON pages only.',
    }),
    page_token: pagingInput.page_token,
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
