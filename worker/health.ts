// The worker's health endpoints (WORKER_HEALTH_PORT), for an orchestrator's probes and a load balancer:
// GET /healthz answers while the process runs; GET /readyz answers 200 only while every Temporal worker
// of the process is RUNNING — connected and polling its task queue — and 503 before that (starting,
// connecting) and once a shutdown has begun (draining), with each worker's state in the body.
// GET /metrics answers Prometheus text (worker/metrics.ts), behind METRICS_TOKEN when one is set.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerMatches } from '../common/bearer';
import type { MetricsText } from './metrics';

/** What the SDK's Worker.getState() answers ('INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', …). */
export type WorkerStates = () => Record<string, string>;

export interface HealthOptions {
  /** Served at GET /metrics; absent: 404 there. */
  metrics?: MetricsText;
  /** METRICS_TOKEN: /metrics then needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

export async function serveHealth(
  where: { host: string; port: number },
  states: WorkerStates,
  options: HealthOptions = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://worker');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { status: 'method_not_allowed' });
    if (url.pathname === '/healthz') return send(200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      const workers = states();
      const ready = Object.values(workers).every((s) => s === 'RUNNING');
      return send(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', workers });
    }
    const { metrics, metricsToken } = options;
    if (url.pathname === '/metrics' && metrics) {
      if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return send(401, { status: 'unauthorized' });
      }
      metrics.text().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
          res.end(text);
        },
        () => send(500, { status: 'error' }),
      );
      return;
    }
    send(404, { status: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
