// /v1/migrations: start, list, status with live progress, pause/resume/cancel, per-file items.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { migrationControlRoutes } from './control';
import { migrationItemRoutes } from './items';
import { migrationRoutes } from './routes';

export const migrationsResource = (ctx: ApiContext): Resource => ({
  tag: 'migrations',
  routes: [...migrationRoutes(ctx), ...migrationControlRoutes(ctx), ...migrationItemRoutes(ctx)],
});
