// Per-file outcomes of a migration, as the copy activities recorded them (in the order recorded): JSON
// pages by default, or every item in one CSV or NDJSON response (items-stream.ts).
import { invalidParameter, notFound } from '../../common/errors';
import { MAX_PAGE_SIZE, MIGRATION_ITEM_STATUSES, type MigrationItemStatus } from '../../store';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { z } from '../http/zod';
import { DEFAULT_ITEMS_PAGE_SIZE, listMigrationItemsInput, migrationItemListSchema } from './items-schemas';
import { negotiateFormat, sendItemStream, CONTENT_TYPES } from './items-stream';
import { presentMigrationItem } from './presenter';

const STATUS_LIST = MIGRATION_ITEM_STATUSES.join(', ');

function itemStatus(value: string | undefined): MigrationItemStatus | undefined {
  if (value === undefined || MIGRATION_ITEM_STATUSES.includes(value as MigrationItemStatus)) {
    return value as MigrationItemStatus | undefined;
  }
  throw invalidParameter(
    'status',
    `must be one of: ${STATUS_LIST}`,
    `Use one of: ${STATUS_LIST}, or omit it.`,
  );
}

const acceptHeader = z.object({
  accept: z
    .string()
    .optional()
    .openapi({
      description:
        'text/csv or application/x-ndjson: every item in one response, as format=csv or format=ndjson ' +
        '(which wins when both are given).',
    }),
});

export const migrationItemRoutes = ({ store, logger }: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/migrations/:id/items',
    summary: 'A migration’s per-file outcomes',
    description:
      'Every file the migration decided about: copied, skipped or failed, with the reason. Items ' +
      'appear while the migration runs, in the order they were recorded; filter with status. ' +
      'With format=csv or format=ndjson (or Accept: text/csv or application/x-ndjson) every item comes ' +
      'in one streamed response, counted as one request. An error after the first byte cuts the ' +
      'connection: a body that ends early is incomplete.',
    params: idParams('mig', 'the migration'),
    input: listMigrationItemsInput,
    headers: acceptHeader,
    status: 200,
    response: migrationItemListSchema,
    alternatives: {
      [CONTENT_TYPES.csv]: {
        type: 'string',
        description: 'A header row, then one row per item (the JSON fields, flattened).',
      },
      [CONTENT_TYPES.ndjson]: { type: 'string', description: 'One JSON MigrationItem per line.' },
    },
    errors: ['resource_not_found'],
    async handler({ auth, params, input, req, res }) {
      const status = itemStatus(input.status);
      const format = negotiateFormat(req, input.format);
      if (format !== 'json') {
        for (const name of ['page_size', 'page_token'] as const) {
          if (input[name] !== undefined && input[name] !== null) {
            throw invalidParameter(
              name,
              `cannot be used with format ${format}`,
              `A ${format} answer holds every item in one response: omit ${name}, or ask for JSON pages.`,
            );
          }
        }
      }
      const migration = await store.migrations.get(auth.account.id, params.id);
      if (!migration) throw notFound('Migration', params.id);
      const read = async (pageToken: string | null, pageSize: number) => {
        const page = await store.items.list(
          auth.account.id,
          migration.id,
          { status },
          { pageSize, pageToken },
        );
        return { items: page.items.map(presentMigrationItem), nextPageToken: page.nextPageToken };
      };
      if (format === 'json') {
        const page = await read(input.page_token ?? null, input.page_size ?? DEFAULT_ITEMS_PAGE_SIZE);
        return { items: page.items, next_page_token: page.nextPageToken };
      }
      await sendItemStream(req, res, {
        format,
        migrationId: migration.id,
        read: (token) => read(token, MAX_PAGE_SIZE),
        logger,
      });
      return undefined;
    },
  }),
];
