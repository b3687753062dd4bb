// One log line per request (Authorization is redacted by the shared logger) and an X-Request-Id on
// every response, reusing the caller's id when it looks safe to echo.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../common/logger';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The OAuth callback's URL carries a one-use authorization code: it never reaches the log. */
const redactCode = (url: string) => url.replace(/([?&]code=)[^&#]*/g, '$1[redacted]');

export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // Liveness probes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    quietReqLogger: true,
    serializers: {
      req(req: { url?: string; query?: Record<string, unknown> }) {
        if (typeof req.url === 'string') req.url = redactCode(req.url);
        if (req.query && 'code' in req.query) req.query = { ...req.query, code: '[redacted]' };
        return req;
      },
    },
  });
}
