// /v1/migrations: start, list, status with live progress, pause/resume/cancel, per-file items, the report.
import type { ApiContext } from '../context';
import { withResourceLogFields } from '../http/log-fields';
import type { Resource } from '../http/route';
import { migrationControlRoutes } from './control';
import { migrationItemRoutes } from './items';
import { migrationLogFields } from './log-fields';
import { migrationReportRoutes } from './report';
import { migrationRoutes } from './routes';

export const migrationsResource = (ctx: ApiContext): Resource => ({
  tag: 'migrations',
  routes: withResourceLogFields(
    [
      ...migrationRoutes(ctx),
      ...migrationControlRoutes(ctx),
      ...migrationItemRoutes(ctx),
      ...migrationReportRoutes(ctx),
    ],
    '/v1/migrations',
    migrationLogFields,
  ),
});
