// Per-file outcomes of a migration, as the copy activities recorded them (in the order recorded).
import { invalidParameter, notFound } from '../../common/errors';
import { MIGRATION_ITEM_STATUSES, type MigrationItemStatus } from '../../store';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { listMigrationItemsInput, migrationItemListSchema } from './items-schemas';
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

export const migrationItemRoutes = ({ store }: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/migrations/:id/items',
    summary: 'A migration’s per-file outcomes',
    description:
      'Every file the migration decided about: copied, skipped or failed, with the reason. Items ' +
      'appear while the migration runs, in the order they were recorded; filter with status.',
    params: idParams('mig', 'the migration'),
    input: listMigrationItemsInput,
    status: 200,
    response: migrationItemListSchema,
    errors: ['resource_not_found'],
    async handler({ auth, params, input }) {
      const status = itemStatus(input.status);
      const migration = await store.migrations.get(auth.account.id, params.id);
      if (!migration) throw notFound('Migration', params.id);
      const page = await store.items.list(
        auth.account.id,
        migration.id,
        { status },
        { pageSize: input.page_size, pageToken: input.page_token },
      );
      return { items: page.items.map(presentMigrationItem), next_page_token: page.nextPageToken };
    },
  }),
];
