// Which ids a resource's lines carry: every route under `base`/:id names the resource it serves.
import type { LogFields } from '../../common/log-context';
import type { Route } from './route';

export const withResourceLogFields = (
  routes: Route[],
  base: string,
  fields: (id: string) => LogFields,
): Route[] =>
  routes.map((r) =>
    r.path.startsWith(`${base}/:id`) ? { ...r, logFields: (p: { id: string }) => fields(p.id) } : r,
  );
