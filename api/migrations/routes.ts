// Migrations: start (202 + Location), list (newest first), status with live progress. Pause, resume
// and cancel are in control.ts, per-file items in items.ts.
import { invalidParameter, notFound } from '../../common/errors';
import { type Migration } from '../../store/types';
import type { ApiContext } from '../context';
import { createMigration } from './service';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import {
  createMigrationBody,
  IDEMPOTENCY_KEY,
  idempotencyHeaders,
  listMigrationsInput,
  migrationListSchema,
  migrationSchema,
} from './schemas';
import { queryMigration } from './temporal';
import { FINAL_STATUSES } from '../../contract';
import { presentMigration } from './presenter';

const isFinal = (m: Migration) => FINAL_STATUSES.includes(m.status);
const migrationParams = idParams('mig', 'the migration');

export const migrationRoutes = (deps: ApiContext): Route[] => {
  const { store, temporal } = deps;
  const load = async (accountId: string, id: string) => {
    const migration = await store.migrations.get(accountId, id);
    if (!migration) throw notFound('Migration', id);
    return migration;
  };

  return [
    defineRoute({
      method: 'post',
      path: '/v1/migrations',
      summary: 'Start a migration',
      description:
        'Copies source.path (a folder or one file) into destination.path. Send an Idempotency-Key header ' +
        'so that retrying after a network failure cannot start a second migration.',
      input: createMigrationBody,
      headers: idempotencyHeaders,
      status: 202,
      response: migrationSchema,
      errors: ['resource_not_found', 'permission_denied', 'conflict', 'service_error'],
      async handler({ auth, input, req, res, setStatus }) {
        const key = req.get('idempotency-key');
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
          throw invalidParameter(
            'Idempotency-Key',
            'must be 1 to 255 printable ASCII characters',
            'Use a fresh random value, such as a UUID, for each new migration.',
          );
        }
        const { migration, replayed } = await createMigration(deps, auth.account.id, input, key);
        if (replayed) setStatus(200);
        res.location(`/v1/migrations/${migration.id}`);
        return presentMigration(migration);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/migrations',
      summary: 'List migrations, newest first',
      description: 'Statuses here are as last recorded; GET /v1/migrations/{id} reads live progress.',
      input: listMigrationsInput,
      status: 200,
      response: migrationListSchema,
      async handler({ auth, input }) {
        const page = await store.migrations.list(
          auth.account.id,
          { status: input.status },
          { pageSize: input.page_size, pageToken: input.page_token },
        );
        return {
          migrations: page.items.map((m) => presentMigration(m)),
          next_page_token: page.nextPageToken,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/migrations/:id',
      summary: 'A migration’s status and live progress',
      params: migrationParams,
      status: 200,
      response: migrationSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        const migration = await load(auth.account.id, params.id);
        // Only a workflow that has started work has live progress to tell (pending: not picked up yet).
        if (isFinal(migration) || migration.status === 'pending') return presentMigration(migration);
        const live = await queryMigration(temporal.client, migration);
        // The workflow records its final status before it answers it: the row read just before is
        // stale (no finished_at yet), and the one read now is the whole truth.
        if (live && FINAL_STATUSES.includes(live.status)) {
          const settled = await load(auth.account.id, params.id);
          if (isFinal(settled)) return presentMigration(settled);
        }
        return presentMigration(migration, live);
      },
    }),
  ];
};
