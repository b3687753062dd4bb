// The worker's health endpoints (worker/health.ts) over a real Temporal worker on the dev server: /readyz
// says 503 before the worker polls, 200 while it runs, 503 again once it shuts down; /healthz always 200.
import { setTimeout as sleep } from 'node:timers/promises';
import { serveHealth } from '../../worker/health';
import { workerMetrics } from '../../worker/metrics';
import { freePort } from '../../common/free-port';
import { createTestWorker } from '../helpers/temporal';

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; workers?: Record<string, string> },
  };
};

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

it('is ready only while the worker is connected and polling', async () => {
  const { worker, connection } = await createTestWorker({}, `health-test-${process.pid}`);
  const health = await serveHealth({ host: '127.0.0.1', port: 0 }, () => ({ migrations: worker.getState() }));
  try {
    expect(await get(health.port, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(health.port, '/readyz')).toEqual({
      status: 503,
      body: { status: 'not_ready', workers: { migrations: 'INITIALIZED' } },
    });
    const running = worker.run();
    await until(async () => (await get(health.port, '/readyz')).status === 200);
    expect((await get(health.port, '/readyz')).body).toEqual({
      status: 'ready',
      workers: { migrations: 'RUNNING' },
    });
    worker.shutdown();
    expect((await get(health.port, '/readyz')).status).toBe(503);
    await running;
    expect((await get(health.port, '/readyz')).body.workers).toEqual({ migrations: 'STOPPED' });
    expect((await get(health.port, '/nothing')).status).toBe(404);
  } finally {
    await health.close();
    await connection.close();
  }
});

it('serves the product metrics when the SDK exporter does not answer, and says so', async () => {
  const closed = await freePort();
  const health = await serveHealth({ host: '127.0.0.1', port: 0 }, () => ({}), {
    metrics: workerMetrics(closed),
    metricsToken: 'a-metrics-token-of-some-length',
  });
  try {
    const url = `http://127.0.0.1:${health.port}/metrics`;
    const refused = await fetch(url, { headers: { Authorization: 'Bearer a-metrics-token-of-some-lengtH' } });
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    const res = await fetch(url, { headers: { Authorization: 'Bearer a-metrics-token-of-some-length' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE migrateclouds_files_total counter$/m);
    expect(text).toMatch(/^# The Temporal SDK's metrics are unavailable: .+$/m);
    expect(text).not.toMatch(/^# TYPE temporal_/m);
  } finally {
    await health.close();
  }
});
