// Recurring syncs: create (with its Temporal Schedule), list, read (with next_run_at from the schedule),
// change, delete, and the migrations it started. Pause, resume and trigger are in control.ts.
import { invalidParameter } from '../../common/errors';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { IDEMPOTENCY_KEY, migrationListSchema } from '../migrations/schemas';
import {
  createSyncBody,
  listSyncsInput,
  patchSyncBody,
  syncIdempotencyHeaders,
  syncListSchema,
  syncSchema,
} from './schemas';
import { presentSync, type SyncService } from './service';
import type { ScheduleState, SyncSchedules } from './temporal';
import { presentMigration } from '../migrations/presenter';

export const syncParams = idParams('syn', 'the sync');

export const syncRoutes = (deps: ApiContext, syncs: SyncService, schedules: SyncSchedules): Route[] => {
  const { store } = deps;

  return [
    defineRoute({
      method: 'post',
      path: '/v1/syncs',
      summary: 'Create a recurring sync',
      description:
        'Runs a migration from source.path into destination.path on a schedule (a cron expression in ' +
        'a time zone, or an interval), on a Temporal Schedule (sync-<id>). Each run is a migration ' +
        '(GET /v1/syncs/{id}/runs) that copies only what changed since the last completed run; with ' +
        'options.delete_extraneous it also deletes what the source no longer has, up to max_delete. ' +
        'A run still going when the next is due makes that one skipped. Source, destination and ' +
        'options are those of POST /v1/migrations. Send an Idempotency-Key header so that retrying ' +
        'after a network failure cannot create a second sync (a retry answers 200 with the first).',
      input: createSyncBody,
      headers: syncIdempotencyHeaders,
      status: 201,
      response: syncSchema,
      errors: ['resource_not_found', 'permission_denied', 'conflict', 'service_error'],
      async handler({ auth, input, req, res, setStatus }) {
        const key = req.get('idempotency-key');
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
          throw invalidParameter(
            'Idempotency-Key',
            'must be 1 to 255 printable ASCII characters',
            'Use a fresh random value, such as a UUID, for each new sync.',
          );
        }
        const { sync, replayed } = await syncs.create(auth.account.id, input, key);
        if (replayed) setStatus(200);
        res.location(`/v1/syncs/${sync.id}`);
        return presentSync(sync, await schedules.describe(sync.id));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/syncs',
      summary: 'List syncs, newest first',
      input: listSyncsInput,
      status: 200,
      response: syncListSchema,
      async handler({ auth, input }) {
        const page = await store.syncs.list(auth.account.id, {
          pageSize: input.page_size,
          pageToken: input.page_token,
        });
        const states = await schedules.describeMany(page.items.map((s) => s.id));
        return {
          syncs: page.items.map((s, i) => presentSync(s, states[i])),
          next_page_token: page.nextPageToken,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/syncs/:id',
      summary: 'A sync, when it runs next and how its last run went',
      params: syncParams,
      status: 200,
      response: syncSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params }) {
        const sync = await syncs.load(auth.account.id, params.id);
        return presentSync(sync, await schedules.describe(sync.id));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/syncs/:id',
      summary: 'Change a sync’s schedule, time zone or options',
      description:
        'A new schedule or time zone takes effect at once (next_run_at moves). Options given replace ' +
        'those values only; runs started from now on use them (a run in progress keeps its own).',
      params: syncParams,
      input: patchSyncBody,
      status: 200,
      response: syncSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params, input }) {
        const sync = await syncs.update(auth.account.id, params.id, input);
        return presentSync(sync, await schedules.describe(sync.id));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/syncs/:id',
      summary: 'Delete a sync and its schedule',
      description:
        'No run starts any more. A run in progress goes on to its end as a migration of its own ' +
        '(cancel it with POST /v1/migrations/{id}/cancel); the runs stay in GET /v1/migrations.',
      params: syncParams,
      status: 200,
      response: syncSchema,
      errors: ['resource_not_found', 'service_error'],
      async handler({ auth, params }) {
        const sync = await syncs.load(auth.account.id, params.id);
        await syncs.delete(sync);
        const gone: ScheduleState = { paused: sync.paused, nextRunAt: null, running: false };
        return presentSync(sync, gone);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/syncs/:id/runs',
      summary: 'The migrations a sync started, newest first',
      description: 'As GET /v1/migrations presents them (statuses as last recorded).',
      params: syncParams,
      input: listSyncsInput,
      status: 200,
      response: migrationListSchema,
      errors: ['resource_not_found'],
      async handler({ auth, params, input }) {
        const sync = await syncs.load(auth.account.id, params.id);
        const page = await store.migrations.list(
          auth.account.id,
          { syncId: sync.id },
          { pageSize: input.page_size, pageToken: input.page_token },
        );
        return {
          migrations: page.items.map((m) => presentMigration(m)),
          next_page_token: page.nextPageToken,
        };
      },
    }),
  ];
};
