// The worker's health endpoints (WORKER_HEALTH_PORT), for an orchestrator's probes and a load balancer:
// GET /healthz answers while the process runs; GET /readyz answers 200 only while every Temporal worker
// of the process is RUNNING — connected and polling its task queue — and 503 before that (starting,
// connecting) and once a shutdown has begun (draining), with each worker's state in the body.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the SDK's Worker.getState() answers ('INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', …). */
export type WorkerStates = () => Record<string, string>;

export async function serveHealth(
  where: { host: string; port: number },
  states: WorkerStates,
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
