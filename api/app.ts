// The Express app factory: tests mount it directly, main.ts listens with it.
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { createSecretBox } from '../common/secret-box';
import { keyringFromSettings } from '../common/keyring';
import { accountResource } from './account';
import { apiKeysResource } from './api-keys';
import { connectionsResource, oauthCallbackResource } from './connections';
import { consoleRouter } from './console/routes';
import { createApiContext } from './context';
import type { ApiDeps } from './deps';
import { docsRouter } from './docs/routes';
import { filesResource } from './files';
import { healthResource } from './health';
import { metricsRouter } from './metrics/routes';
import { authenticate } from './http/auth';
import { errorHandler, notFoundHandler, requireJsonBody } from './http/errors';
import { createRegistry, generateDocument } from './http/openapi';
import { requestLogging } from './http/request-logging';
import { requestMetrics, type RouteTemplate } from './http/request-metrics';
import { securityHeaders } from './http/security-headers';
import { toRouter, type Resource } from './http/route';
import { migrationsResource } from './migrations';
import { sessionPublicResource, sessionResource } from './session';
import { refuseForeignOrigin } from './session/csrf';
import { publicBase } from './connections/oauth/providers';
import { invitesPublicResource, usersResource } from './users';
import { syncsResource } from './syncs';
import { webhooksResource } from './webhooks';

export type { ApiDeps } from './deps';

const BODY_LIMIT = '1mb';

/** Routes served outside the resources (metrics, the spec and its docs page), for the latency labels. */
const PLAIN_ROUTES: RouteTemplate[] = [
  { method: 'get', path: '/metrics' },
  { method: 'get', path: '/v1/openapi.json' },
  { method: 'get', path: '/docs' },
  { method: 'get', path: '/docs/init.js' },
  { method: 'get', path: '/docs/assets/:file' },
  { method: 'get', path: '/' },
  { method: 'get', path: '/console' },
  { method: 'get', path: '/console/' },
  { method: 'get', path: '/console/assets/:file' },
];

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
  const keyring = keyringFromSettings(given.config);
  const ctx = createApiContext({ ...given, box: given.box ?? (keyring && createSecretBox(keyring)) });
  const clock = ctx.clock ?? (() => new Date());
  // The resources behind an API key, then the public ones; the OpenAPI document lists them in this order.
  const resources: Resource[] = [
    accountResource(ctx),
    apiKeysResource(ctx),
    connectionsResource(ctx),
    filesResource(ctx),
    migrationsResource(ctx),
    webhooksResource(ctx),
    syncsResource(ctx),
    sessionResource(ctx),
    usersResource(ctx),
  ];
  const health = healthResource(ctx);
  const oauthCallback = oauthCallbackResource(ctx);
  // How a browser gets a session: signing in, a one-time link, an invite (no key or session yet).
  const signIn = [sessionPublicResource(ctx), invitesPublicResource(ctx)];
  const registry = createRegistry();
  const router = (r: Resource) => toRouter(r.routes, registry, r.tag);
  const keyed = resources.map(router);
  const [healthRouter, callbackRouter] = [health, oauthCallback].map(router);
  const signInRouters = signIn.map(router);
  const document = generateDocument(registry, ctx.config.PUBLIC_URL);
  const routes = [health, ...resources, oauthCallback, ...signIn].flatMap((r) => r.routes);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (ctx.requestTracing) app.use(ctx.requestTracing);
  app.use(requestMetrics([...routes, ...PLAIN_ROUTES]));
  app.use(securityHeaders());
  // Behind a reverse proxy, per-address limits must see the client's address, not the proxy's.
  if (ctx.config.TRUST_PROXY) app.set('trust proxy', trustProxyValue(ctx.config.TRUST_PROXY));
  app.use(requestLogging(ctx.logger));
  // Public: liveness, readiness, metrics (unless METRICS_TOKEN), the spec and its docs page.
  app.use(healthRouter!);
  app.use(metricsRouter(ctx));
  app.use(docsRouter(document));
  // A browser lands on the OAuth callback with no API key: its signed state says whose it is.
  app.use(callbackRouter!);
  // The web console's static files, and `/` leading to it.
  app.use(consoleRouter(ctx.config.projectRoot));
  const jsonBody = [requireJsonBody(treatAsJson), express.json({ limit: BODY_LIMIT, type: treatAsJson })];
  // Their bodies are read before authentication: only on those routes.
  const signInBodies = express.Router();
  // Another site's page is refused before its body is even read (login CSRF), whatever the body holds.
  const sameSite = refuseForeignOrigin(publicBase(ctx.config));
  for (const r of signIn.flatMap((x) => x.routes)) signInBodies[r.method](r.path, sameSite, ...jsonBody);
  app.use(signInBodies, ...signInRouters);
  // Everything else under /v1 needs a key or a session; bodies are read only once the caller is known.
  app.use('/v1', authenticate({ store: ctx.store, config: ctx.config, rateLimiter: ctx.rateLimiter, clock }));
  app.use(...jsonBody);
  for (const r of keyed) app.use(r);
  app.use(notFoundHandler(routes));
  app.use(errorHandler(ctx.logger, routes));
  return app;
}
