// Browsing files through a connection.
import { flexibleBoolean } from '../http/validation';
import {
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  pathSchema,
  serviceSchema,
  timestampSchema,
} from '../http/schemas';
import { z } from '../http/zod';
import { PAGE_TOKEN_LIFETIME } from './page-tokens';

const target = {
  service: serviceSchema
    .optional()
    .openapi({ description: 'Use the account’s only connection of this service (or pass connection_id).' }),
  connection_id: idSchema('conn', 'the connection').optional(),
  path: pathSchema,
};

export const listFilesInput = z
  .strictObject({
    ...target,
    recursive: flexibleBoolean()
      .optional()
      .default(false)
      .openapi({ type: 'boolean', default: false, description: 'List all descendants, not only children.' }),
    ...pagingInput,
    // Sealed, and holding a walk's open folders for recursive listings of Drive and OneDrive: longer
    // than the store's keyset tokens.
    page_token: z
      .string()
      .max(8192)
      .nullish()
      .openapi({
        description:
          'The next_page_token of the previous page, unchanged and with the same connection, path and ' +
          `recursive; valid for ${PAGE_TOKEN_LIFETIME}. Omit for the first page.`,
      }),
  })
  .openapi('ListFilesRequest');

export const fileMetadataInput = z.strictObject(target).openapi('FileMetadataRequest');

export const fileEntrySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    path: z.string().openapi({ example: '/Photos/2024/beach.jpg' }),
    type: z.enum(['file', 'folder']),
    mime_type: z.string().nullable(),
    size: z.number().int().nullable().openapi({ description: 'Bytes; null for folders.' }),
    created_at: timestampSchema.nullable(),
    modified_at: timestampSchema.nullable(),
    checksum: z
      .object({
        algorithm: z.enum(['md5', 'sha1', 'sha256', 'quickxor', 'dropbox_content_hash']),
        value: z.string(),
      })
      .nullable()
      .openapi({ description: 'Where the service reports one.' }),
  })
  .openapi('FileEntry');

export const fileListSchema = z.object({
  files: z.array(fileEntrySchema),
  next_page_token: nextPageTokenSchema,
});

export type ListFilesInput = z.infer<typeof listFilesInput>;
export type FileTarget = z.infer<typeof fileMetadataInput>;
