// Public: /healthz (liveness), /readyz (store and Temporal).
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { healthRoutes } from './routes';

export const healthResource = (ctx: ApiContext): Resource => ({ tag: 'health', routes: healthRoutes(ctx) });
