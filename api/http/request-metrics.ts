// Every request's latency in migrateclouds_http_request_duration_seconds, labelled by the route template
// it matched (`/v1/migrations/:id`), never the raw URL: ids and paths stay out of the metrics, and the
// label set stays small. Matched here, before authentication, so a refused request still names its route;
// a path no route has is `unmatched`.
import type { RequestHandler } from 'express';
import { httpRequestDurationSeconds } from '../../common/metrics';

export interface RouteTemplate {
  method: string;
  /** Express-style, e.g. /v1/connections/:id. */
  path: string;
}

export const UNMATCHED = 'unmatched';

/** As Express routes: case-insensitive, a trailing slash allowed, a parameter is one segment; HEAD is GET. */
export function routeMatcher(routes: RouteTemplate[]): (method: string, path: string) => string {
  const patterns = routes.map((r) => ({
    method: r.method.toUpperCase(),
    template: r.path,
    regex: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}/?$`, 'i'),
  }));
  return (method, path) => {
    const wanted = method === 'HEAD' ? 'GET' : method;
    return patterns.find((p) => p.method === wanted && p.regex.test(path))?.template ?? UNMATCHED;
  };
}

export function requestMetrics(routes: RouteTemplate[]): RequestHandler {
  const routeOf = routeMatcher(routes);
  return (req, res, next) => {
    const done = httpRequestDurationSeconds.startTimer();
    const route = routeOf(req.method, req.path);
    res.once('finish', () => done({ method: req.method, route, status: String(res.statusCode) }));
    next();
  };
}
