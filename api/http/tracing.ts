// A server span per API request, when tracing is on (api/tracing.ts): named after the route it matched
// (`POST /v1/migrations`), continuing the caller's trace (traceparent), and active while the request is
// served, so the Temporal client's spans (StartWorkflow, SignalWorkflow…) are its children.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';

const TRACER = 'migrateclouds-api';

/** The route template, not the URL: ids would make every span's name unique. */
const routeOf = (req: Request): string | undefined =>
  typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : undefined;

export function requestTracing(): RequestHandler {
  const tracer = trace.getTracer(TRACER);
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.path },
      },
      parent,
    );
    res.once('close', () => {
      const route = routeOf(req);
      if (route) span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
