// A route is declared once: its zod schemas validate the request, type the handler and document the
// endpoint in the OpenAPI registry. `toRouter` mounts a resource's routes on its own express Router.
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response } from 'express';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../common/errors';
import { addLogFields, type LogFields } from '../../common/log-context';
import { scopeCovers } from '../../store';
import type { Account, ApiKey, ApiKeyScope, User } from '../../store/types';
import { sendSuccess } from './envelope';
import { errorEnvelopeSchema, successEnvelope } from './schemas';
import { z } from './zod';
import { parseInput } from './validation';

export interface AuthContext {
  account: Account;
  /** What the caller may do: its API key's scope, or its console user's role's (api/session/policy.ts). */
  scope: ApiKeyScope;
  /** The API key, when the caller sent one. */
  apiKey?: ApiKey;
  /** The console user and session, when the caller signed in instead. */
  user?: User;
  session?: { id: string; expiresAt: string; lastSeenAt: string; csrfToken: string };
}

export interface HandlerContext<P, I> {
  params: P;
  input: I;
  req: Request;
  res: Response;
  /** The caller; routes declared `public` must not read it. */
  auth: AuthContext;
  /** Answer with another success status than the route's default (e.g. 200 for a replayed POST). */
  setStatus(status: number): void;
}

export interface RouteSpec<P extends z.ZodType, I extends z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path, e.g. /v1/connections/:id. */
  path: string;
  summary: string;
  description?: string;
  public?: boolean;
  /** The API key scope the route needs; by default `read` for GET and `write` for changes. */
  scope?: ApiKeyScope;
  params?: P;
  /** GET: the query string merged with a JSON body. POST, PATCH: the JSON body. */
  input?: I;
  /** Extra documented request headers. */
  headers?: z.ZodObject;
  status: number;
  response: z.ZodType;
  /** Other media types the success answer may come as (a streamed CSV export), documented beside JSON. */
  alternatives?: Record<string, { type: 'string'; description: string }>;
  /** Error codes this route can answer, beyond the ones every route can. */
  errors?: ErrorCode[];
  /** Ids every line logged while this route runs carries (the migration and its workflow). */
  logFields?(params: z.output<P>): LogFields;
  handler(ctx: HandlerContext<z.output<P>, z.output<I>>): Promise<unknown>;
}

// Type-erased so one resource's routes of different shapes fit in one array.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Route = RouteSpec<any, any>;

/** One resource's routes under one OpenAPI tag; each resource folder exports a factory of one. */
export interface Resource {
  tag: string;
  routes: Route[];
}

export const defineRoute = <P extends z.ZodType = z.ZodObject, I extends z.ZodType = z.ZodObject>(
  spec: RouteSpec<P, I>,
): Route => spec;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function rawInput(route: Route, req: Request): unknown {
  const body: unknown = req.body;
  if (route.method !== 'get') return body === undefined ? {} : body;
  // GET parameters may come from the query string, a JSON body, or both (the body wins).
  if (body === undefined || (isPlainObject(body) && Object.keys(body).length === 0)) return { ...req.query };
  if (!isPlainObject(body)) return body;
  return { ...req.query, ...body };
}

export function toRouter(routes: Route[], registry: OpenAPIRegistry, tag: string): express.Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      if (!route.public) checkScope(route, res.locals.auth as AuthContext);
      const params = route.params ? parseInput(route.params, req.params) : {};
      if (route.logFields) addLogFields(route.logFields(params));
      const input = route.input ? parseInput(route.input, rawInput(route, req)) : {};
      let status = route.status;
      const data = await route.handler({
        params,
        input,
        req,
        res,
        auth: res.locals.auth as AuthContext,
        setStatus: (s) => (status = s),
      });
      // A handler that answered itself (a redirect) has nothing left to send.
      if (!res.headersSent) sendSuccess(res, status, data);
    });
    registry.registerPath(openApiConfig(route, tag));
  }
  return router;
}

/** The scope a route needs. */
export const scopeOf = (route: Route): ApiKeyScope =>
  route.scope ?? (route.method === 'get' ? 'read' : 'write');

/** Refuses a key whose scope does not cover the route's, before anything of the request is read. */
function checkScope(route: Route, auth: AuthContext): void {
  const need = scopeOf(route);
  if (scopeCovers(auth.scope, need)) return;
  const action = `${route.method.toUpperCase()} ${route.path} needs scope '${need}'`;
  if (auth.user) {
    throw new AppError(
      'permission_denied',
      `Your role '${auth.user.role}' has scope '${auth.scope}'; ${action}`,
      'Ask an owner of the account to do this.',
    );
  }
  throw new AppError(
    'permission_denied',
    `This API key has scope '${auth.scope}'; ${action}`,
    `Use a key with scope '${need}' or above. A key with scope 'admin' creates keys: POST /v1/api-keys with "scope".`,
  );
}

const COMMON_ERRORS: ErrorCode[] = ['invalid_parameter', 'internal_error'];
const AUTH_ERRORS: ErrorCode[] = ['authentication_error', 'permission_denied', 'rate_limit_exceeded'];

function openApiConfig(route: Route, tag: string): RouteConfig {
  const codes = new Set<ErrorCode>([
    ...(route.public ? [] : AUTH_ERRORS),
    ...COMMON_ERRORS,
    ...(route.errors ?? []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: RouteConfig['responses'] = {
    [route.status]: {
      description: 'Success',
      content: {
        'application/json': { schema: successEnvelope(route.response) },
        ...Object.fromEntries(
          Object.entries(route.alternatives ?? {}).map(([type, schema]) => [type, { schema }]),
        ),
      },
    },
  };
  for (const [status, list] of byStatus) {
    responses[status] = {
      description: list.join(' or '),
      content: { 'application/json': { schema: errorEnvelopeSchema } },
    };
  }
  const isGet = route.method === 'get';
  return {
    method: route.method,
    path: route.path.replace(/:(\w+)/g, '{$1}'),
    tags: [tag],
    summary: route.summary,
    description: route.public
      ? route.description
      : [route.description, `Needs an API key with scope \`${scopeOf(route)}\`.`]
          .filter(Boolean)
          .join('\n\n'),
    // OpenAPI 3.1 lets any scheme list the roles an operation needs: the key's scope.
    security: route.public ? [] : [{ bearerAuth: [scopeOf(route)] }],
    request: {
      params: route.params as z.ZodObject | undefined,
      query: isGet ? (route.input as z.ZodObject | undefined) : undefined,
      headers: route.headers,
      body:
        !isGet && route.input
          ? { required: true, content: { 'application/json': { schema: route.input } } }
          : undefined,
    },
    responses,
  };
}
