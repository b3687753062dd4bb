// Maps every error the app can raise to the envelope, once. Unknown errors become a generic 500.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, invalidParameter } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { ConnectorError } from '../../connectors/types';
import { isStoreUnavailable } from '../../store/util';
import { sendError } from './envelope';
import { hintFor } from './validation';

type RouteRef = { method: string; path: string };

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

/** zlib's error codes: Z_DATA_ERROR and the like, and brotli's ERR__ERROR_FORMAT_…. */
const ZLIB_CODE = /^(Z_|ERR__ERROR_)/;

/** Errors body-parser raises for unreadable bodies (it sets `type` and `status`). */
function fromBodyParserError(err: { type?: string; status?: number; code?: unknown }): AppError | undefined {
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
      // A body its Content-Encoding (gzip, deflate, br) does not decode: body-parser passes zlib's error on
      // with status 400 and no type.
      if (err.status === 400 && typeof err.code === 'string' && ZLIB_CODE.test(err.code)) {
        return invalidParameter(
          'body',
          'could not be decoded as its Content-Encoding says',
          'Send the JSON uncompressed, or compressed as the Content-Encoding header says.',
        );
      }
      return undefined;
  }
}

const isDecodable = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * The router cannot percent-decode a path parameter (`%ZZ`, or bytes that are not UTF-8 such as
 * `%ED%A0%80`) and throws a URIError before any handler runs: name the parameter of the route it matched.
 */
function fromUndecodablePath(path: string, routes: RouteRef[]): AppError {
  const segments = path.split('/');
  let name = 'URL path';
  for (const route of routes) {
    const template = route.path.split('/');
    if (
      template.length !== segments.length &&
      !(template.length === segments.length - 1 && path.endsWith('/'))
    )
      continue;
    const matches = template.every((t, i) => t.startsWith(':') || t === segments[i]);
    const bad = template.findIndex((t, i) => t.startsWith(':') && !isDecodable(segments[i]!));
    if (matches && bad >= 0) {
      name = template[bad]!.slice(1);
      break;
    }
  }
  return invalidParameter(
    name,
    'is not valid percent-encoded UTF-8',
    `${hintFor(name) ?? 'Check the URL against /docs.'} Percent-encode UTF-8 text only (e.g. %C3%A9 for "é").`,
  );
}

export function toAppError(err: unknown, path = '', routes: RouteRef[] = []): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ConnectorError) return fromConnectorError(err);
  if (err instanceof URIError) return fromUndecodablePath(path, routes);
  if (isStoreUnavailable(err))
    return new AppError('service_error', 'The store is unavailable', 'Retry in a moment.', 503);
  if (err && typeof err === 'object' && ('type' in err || 'status' in err))
    return fromBodyParserError(err as { type?: string; status?: number; code?: unknown });
  return undefined;
}

/** Unknown routes; when the path exists with other methods, the answer says which. */
export function notFoundHandler(routes: RouteRef[]): RequestHandler {
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

/** `routes` name the parameter a URL path could not be decoded for. */
export function errorHandler(logger: Logger, routes: RouteRef[] = []): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const appError = toAppError(err, req.path, routes);
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
