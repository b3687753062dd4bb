// Maps every error the app can raise to the envelope, once. Unknown errors become a generic 500.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, invalidParameter } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { ConnectorError } from '../../connectors/types';
import { sendError } from './envelope';

/** Translates a connector failure; `pathParam` names the request parameter the path came from. */
export function fromConnectorError(err: ConnectorError, pathParam = 'path'): AppError {
  if (err.needsReauth) {
    return new AppError(
      'permission_denied',
      err.message,
      'The service no longer accepts this connection’s authorization. Authorize it again with ' +
        'GET /v1/connections/oauth/{service}/authorize?connection_id=<the connection id>.',
    );
  }
  switch (err.kind) {
    case 'not_found':
      return new AppError('resource_not_found', err.message);
    case 'permission_denied':
      return new AppError('permission_denied', err.message);
    case 'already_exists':
      return new AppError('conflict', err.message);
    case 'invalid_path':
    case 'wrong_type':
      return invalidParameter(
        pathParam,
        err.message,
        'Pass an absolute path, starting with "/", that exists.',
      );
    default:
      return new AppError('service_error', 'The storage service failed', err.message);
  }
}

/** Errors body-parser raises for unreadable bodies (it sets `type` and `status`). */
function fromBodyParserError(err: { type?: string; status?: number; limit?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return invalidParameter(
        'body',
        'is not valid JSON',
        'Send a JSON object with Content-Type: application/json.',
      );
    case 'entity.too.large':
      return new AppError(
        'invalid_parameter',
        "Invalid parameter 'body': the request body is larger than 1 MB",
        'Send a smaller body; list large inputs in pages.',
        413,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return invalidParameter('body', 'uses an unsupported encoding', 'Send UTF-8 JSON.');
    case 'request.aborted':
    case 'request.size.invalid':
      return invalidParameter('body', 'was not received completely', 'Send the whole body again.');
    default:
      return undefined;
  }
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ConnectorError) return fromConnectorError(err);
  if (err && typeof err === 'object' && 'type' in err) return fromBodyParserError(err as { type?: string });
  return undefined;
}

/** Unknown routes; when the path exists with other methods, the answer says which. */
export function notFoundHandler(routes: { method: string; path: string }[]): RequestHandler {
  const patterns = routes.map((r) => ({
    method: r.method.toUpperCase(),
    regex: new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}/?$`),
  }));
  return (req, _res, next) => {
    const allowed = patterns.filter((p) => p.regex.test(req.path)).map((p) => p.method);
    const details = allowed.length
      ? `This path accepts ${[...new Set(allowed)].join(', ')}; see /docs for the API.`
      : 'See /docs for the API.';
    next(new AppError('resource_not_found', `No route for ${req.method} ${req.path}`, details));
  };
}

/** A body that is not JSON would otherwise read as empty and be blamed on its first missing field. */
export const requireJsonBody =
  (isJson: (req: Parameters<RequestHandler>[0]) => boolean): RequestHandler =>
  (req, _res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !isJson(req)) {
      return next(
        invalidParameter('body', 'must be JSON', 'Send a JSON object with Content-Type: application/json.'),
      );
    }
    next();
  };

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const appError = toAppError(err);
    if (appError) {
      if (appError.code === 'service_error') req.log?.warn({ err }, 'service error');
      return sendError(res, appError);
    }
    // Unexpected: log everything, tell the client nothing about the internals.
    (req.log ?? logger).error({ err }, 'unhandled error');
    const details = `Try again later; if it persists, report X-Request-Id ${String(req.id ?? 'of this response')}.`;
    sendError(res, new AppError('internal_error', 'An internal error occurred', details));
  };
}
