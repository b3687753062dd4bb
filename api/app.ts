// The Express app factory: tests mount it directly, main.ts listens with it.
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { createSecretBox } from '../common/secret-box';
import { authenticate } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, notFoundHandler, requireJsonBody } from './errors';
import { createRegistry, generateDocument } from './openapi';
import { requestLogging } from './request-logging';
import { toRouter } from './route';
import { accountRoutes } from './routes/account';
import { apiKeyRoutes } from './routes/api-keys';
import { connectionRoutes } from './routes/connections';
import { docsRouter } from './routes/docs';
import { fileRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { migrationControlRoutes } from './routes/migration-control';
import { migrationItemRoutes } from './routes/migration-items';
import { migrationRoutes } from './routes/migrations';
import { oauthAuthorizeRoutes, oauthCallbackRoutes } from './routes/oauth';
import { webhookRoutes } from './routes/webhooks';
import { syncControlRoutes } from './routes/syncs-control';
import { syncRoutes } from './routes/syncs';

export type { ApiDeps } from './deps';

const BODY_LIMIT = '1mb';

/**
 * Bodies are JSON whatever the client says, as long as it is not clearly something else: `curl -d`
 * sends JSON as application/x-www-form-urlencoded unless told otherwise, and GET bodies often carry no type.
 */
function treatAsJson(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return (
    type === '' ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded'
  );
}

/** "true"/"false", a hop count, or a list of addresses/subnets, as Express understands them. */
function trustProxyValue(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function createApp(given: ApiDeps): express.Application {
  const key = given.config.MIGRATECLOUDS_ENCRYPTION_KEY;
  const deps: ApiDeps = { ...given, box: given.box ?? (key ? createSecretBox(key) : undefined) };
  const clock = deps.clock ?? (() => new Date());
  const registry = createRegistry();
  const table = {
    account: accountRoutes(deps),
    'api-keys': apiKeyRoutes(deps),
    connections: [...connectionRoutes(deps), ...oauthAuthorizeRoutes(deps)],
    files: fileRoutes(deps),
    migrations: [...migrationRoutes(deps), ...migrationControlRoutes(deps), ...migrationItemRoutes(deps)],
    webhooks: webhookRoutes(deps),
    syncs: [...syncRoutes(deps), ...syncControlRoutes(deps)],
  };
  const resources = Object.entries(table).map(([tag, routes]) => toRouter(routes, registry, tag));
  const health = toRouter(healthRoutes(deps), registry, 'health');
  const callbacks = oauthCallbackRoutes(deps);
  const oauthCallback = toRouter(callbacks, registry, 'oauth');
  const document = generateDocument(registry, deps.config.PUBLIC_URL);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy, per-address limits must see the client's address, not the proxy's.
  if (deps.config.TRUST_PROXY) app.set('trust proxy', trustProxyValue(deps.config.TRUST_PROXY));
  app.use(requestLogging(deps.logger));
  // Public: liveness, readiness, the spec and its docs page.
  app.use(health);
  app.use(docsRouter(document));
  // A browser lands on the OAuth callback with no API key: its signed state says whose it is.
  app.use(oauthCallback);
  // Everything else under /v1 needs a key; bodies are read only once the caller is known.
  app.use('/v1', authenticate({ store: deps.store, rateLimiter: deps.rateLimiter, clock }));
  app.use(requireJsonBody(treatAsJson));
  app.use(express.json({ limit: BODY_LIMIT, type: treatAsJson }));
  for (const router of resources) app.use(router);
  app.use(notFoundHandler([...Object.values(table).flat(), ...callbacks]));
  app.use(errorHandler(deps.logger));
  return app;
}
