// One log line per request (Authorization is redacted by the shared logger) and an X-Request-Id on
// every response, reusing the caller's id when it looks safe to echo. Every line logged while the
// request is served carries its ids (reqId, then accountId, migrationId… as they become known).
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { withLogFields, type LogFields } from '../../common/log-context';
import type { Logger } from '../../common/logger';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** OAuth URLs carry the state and a one-use authorization code (start, callback): neither reaches the log. */
const SECRET_PARAMS = ['code', 'state', 'code_verifier'];
const redactUrl = (url: string) => url.replace(/([?&](?:code|state|code_verifier)=)[^&#]*/gi, '$1[redacted]');

/** The request's fields, shared by its log context and its summary line. */
const fieldsOf = (res: Response): LogFields | undefined => res.locals.logFields as LogFields | undefined;

export function requestLogging(logger: Logger): RequestHandler[] {
  const http = pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // Liveness probes and metrics scrapes every few seconds would drown the log.
    autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
    quietReqLogger: true,
    // The summary line is written when the response ends, perhaps outside the request's context.
    customProps(_req, res) {
      const fields = fieldsOf(res as Response);
      if (!fields) return {};
      const { reqId: _bound, ...rest } = fields; // req.log binds it already
      return rest;
    },
    serializers: {
      req(req: { url?: string; query?: Record<string, unknown> }) {
        if (typeof req.url === 'string') req.url = redactUrl(req.url);
        if (req.query && SECRET_PARAMS.some((p) => p in req.query!)) {
          req.query = { ...req.query };
          for (const p of SECRET_PARAMS) if (p in req.query) req.query[p] = '[redacted]';
        }
        return req;
      },
      // The start URL's redirect carries the state; its cookie, the browser-binding nonce.
      res(res: { headers?: Record<string, unknown> }) {
        if (!res.headers) return res;
        const headers = { ...res.headers };
        if (typeof headers.location === 'string') headers.location = redactUrl(headers.location);
        if ('set-cookie' in headers) headers['set-cookie'] = '[redacted]';
        res.headers = headers;
        return res;
      },
    },
  });
  const enterContext: RequestHandler = (req, res, next) => {
    const fields: LogFields = { reqId: String(req.id) };
    res.locals.logFields = fields;
    withLogFields(fields, next);
  };
  return [http, enterContext];
}
