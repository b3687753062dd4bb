// /v1/syncs: recurring syncs on Temporal Schedules. The schedules and the service are built once here.
import type { ApiContext } from '../context';
import { withResourceLogFields } from '../http/log-fields';
import type { Resource } from '../http/route';
import { syncControlRoutes } from './control';
import { syncRoutes } from './routes';
import { SyncService } from './service';
import { SyncSchedules } from './temporal';

export function syncsResource(ctx: ApiContext): Resource {
  const schedules = new SyncSchedules(ctx.temporal.client, ctx.temporal.taskQueue);
  const syncs = new SyncService(ctx, schedules);
  return {
    tag: 'syncs',
    routes: withResourceLogFields(
      [...syncRoutes(ctx, syncs, schedules), ...syncControlRoutes(ctx, syncs, schedules)],
      '/v1/syncs',
      (syncId) => ({ syncId }),
    ),
  };
}
