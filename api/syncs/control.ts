// Steering a sync: pause and resume its schedule, or start a run now.
import { AppError, conflict } from '../../common/errors';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { syncSchema } from './schemas';
import { syncParams } from './routes';
import { presentSync, type SyncService } from './service';
import { temporalReason, type ScheduleState, type SyncSchedules } from './temporal';

export const syncControlRoutes = (
  deps: ApiContext,
  syncs: SyncService,
  schedules: SyncSchedules,
): Route[] => {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/syncs/:id/pause',
      summary: 'Pause a sync’s schedule',
      description:
        'No scheduled run starts until it is resumed (next_run_at becomes null). A run in progress ' +
        'goes on: pause that migration itself with POST /v1/migrations/{id}/pause. Pausing a paused ' +
        'sync changes nothing.',
      params: syncParams,
      status: 200,
      response: syncSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        const sync = await syncs.setPaused(auth.account.id, params.id, true);
        return presentSync(sync, await schedules.describe(sync.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/syncs/:id/resume',
      summary: 'Resume a paused sync',
      description:
        'Scheduled runs start again from the next due time; runs missed while paused are not made up ' +
        '(trigger one to catch up now). Resuming an active sync changes nothing.',
      params: syncParams,
      status: 200,
      response: syncSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        const sync = await syncs.setPaused(auth.account.id, params.id, false);
        return presentSync(sync, await schedules.describe(sync.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/syncs/:id/trigger',
      summary: 'Run a sync now',
      description:
        'Starts a run at once, even while the sync is paused (it stays paused). The run shows in ' +
        'GET /v1/syncs/{id}/runs and as last_run within moments. While a run is in progress another ' +
        'cannot start: 409.',
      params: syncParams,
      status: 202,
      response: syncSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        const sync = await syncs.load(auth.account.id, params.id);
        let before: ScheduleState | undefined;
        try {
          before = await schedules.describeStrict(sync.id);
          if (before?.running) {
            const last = sync.lastRun ? ` (migration ${sync.lastRun.migrationId})` : '';
            throw conflict(
              `A run of sync ${sync.id} is in progress${last}`,
              'Wait for it to finish, or cancel it with POST /v1/migrations/{id}/cancel.',
            );
          }
          await schedules.trigger(sync.id);
        } catch (err) {
          if (err instanceof AppError) throw err;
          deps.logger.warn({ err, syncId: sync.id }, 'could not trigger the sync');
          throw new AppError(
            'service_error',
            `The run could not be started: the workflow service failed (${temporalReason(err)})`,
            'Retry in a moment.',
          );
        }
        return presentSync(sync, before);
      },
    }),
  ];
};
