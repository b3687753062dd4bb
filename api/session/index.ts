// The console's sessions: the public ways in (before authentication) and the session's own endpoints.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { sessionPublicRoutes, sessionRoutes } from './routes';

export const sessionPublicResource = (ctx: ApiContext): Resource => ({
  tag: 'session',
  routes: sessionPublicRoutes(ctx),
});

export const sessionResource = (ctx: ApiContext): Resource => ({
  tag: 'session',
  routes: sessionRoutes(ctx),
});
