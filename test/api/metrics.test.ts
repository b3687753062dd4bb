// GET /metrics on the API: request latency by route template and status (never a raw URL), the
// migrations-by-status gauge from the store, and the METRICS_TOKEN guard.
import { MIGRATIONS_GAUGE_CACHE_MS, migrationsGauge } from '../../api/metrics/migrations-gauge';
import { createLogger } from '../../common/logger';
import { completeOptions, type MigrationStatus } from '../../contract';
import { declaredNames, sampleValue } from '../helpers/prometheus';
import { closeTemporal, createTestApi, expectError, request, type TestApi } from './helpers';

const TOKEN = 'metrics-token-0123456789';
let api: TestApi;
let guarded: TestApi;

beforeAll(async () => {
  api = await createTestApi();
  guarded = await createTestApi({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(async () => {
  await api.close();
  await guarded.close();
  await closeTemporal();
});

const scrape = async (target = api) => {
  const res = await request(target.app).get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
};
const requests = (text: string, labels: Record<string, string>) =>
  sampleValue(text, 'migrateclouds_http_request_duration_seconds_count', labels);

it('observes each request under its route template and status, and unknown paths as unmatched', async () => {
  const alice = await api.account();
  const before = await scrape();
  for (const id of ['mig_secret1', 'mig_secret2', 'mig_secret3'])
    expect((await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth)).status).toBe(404);
  expect((await request(api.app).get('/v1/migrations/mig_secret4')).status).toBe(401);
  expect((await request(api.app).get('/v1/account').set(alice.auth)).status).toBe(200);
  expect((await request(api.app).get('/no/such/path/acc_hidden')).status).toBe(404);
  const after = await scrape();

  const route = '/v1/migrations/:id';
  const delta = (labels: Record<string, string>) => requests(after, labels) - requests(before, labels);
  expect(delta({ method: 'GET', route, status: '404' })).toBe(3);
  expect(delta({ method: 'GET', route, status: '401' })).toBe(1);
  expect(delta({ method: 'GET', route: '/v1/account', status: '200' })).toBe(1);
  expect(delta({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  // The scrape before counts itself once it answered.
  expect(delta({ method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  const sum = sampleValue(after, 'migrateclouds_http_request_duration_seconds_sum', {
    method: 'GET',
    route,
    status: '404',
  });
  expect(sum).toBeGreaterThan(0);
  expect(sum).toBeLessThan(30);
  // Ids, paths and keys never become labels.
  for (const leak of ['mig_secret', 'acc_hidden', '/no/such', alice.id, alice.key])
    expect(after).not.toContain(leak);
});

it('answers in the Prometheus text format with every product metric, each declared once', async () => {
  const res = await request(api.app).get('/metrics');
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  const names = declaredNames(res.text);
  for (const name of [
    'migrateclouds_files_total',
    'migrateclouds_bytes_total',
    'migrateclouds_provider_throttled_total',
    'migrateclouds_budget_wait_seconds',
    'migrateclouds_webhook_deliveries_total',
    'migrateclouds_http_request_duration_seconds',
    'migrateclouds_migrations',
  ])
    expect(names).toContain(name);
  expect(new Set(names).size).toBe(names.length);
});

it('counts the migrations of every account by status, from the store, at most every 5 s', async () => {
  // An app of its own: its store holds only these migrations, and nothing has read its gauge yet.
  const own = await createTestApi();
  try {
    const [a, b] = [await own.account(), await own.account()];
    const create = (accountId: string) =>
      own.store.migrations.create({
        accountId,
        source: { connectionId: 'conn_a', service: 'local', path: '/' },
        destination: { connectionId: 'conn_b', service: 'local', path: '/' },
        options: completeOptions({}),
      });
    const [m1, m2] = [await create(a.id), await create(b.id)];
    await create(b.id);
    await own.store.migrations.update(m1.id, { status: 'running' });
    await own.store.migrations.update(m2.id, { status: 'completed' });
    const statuses = [
      'pending',
      'running',
      'paused',
      'completed',
      'completed_with_errors',
      'failed',
      'cancelled',
    ];
    const counts = (text: string) =>
      statuses.map((status) => sampleValue(text, 'migrateclouds_migrations', { status }));
    const text = await scrape(own);
    expect(counts(text)).toEqual([1, 1, 0, 1, 0, 0, 0]);
    for (const id of [m1.id, a.id, b.id]) expect(text).not.toContain(id);
    // A scrape right after answers from the cache.
    await create(a.id);
    expect(counts(await scrape(own))).toEqual([1, 1, 0, 1, 0, 0, 0]);
  } finally {
    await own.close();
  }
});

it('asks the store again once its answer is 5 s old, and shows no numbers while the store fails', async () => {
  let clock = 0;
  let calls = 0;
  let failing = false;
  const all = (n: number) =>
    Object.fromEntries(
      ['pending', 'running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'].map(
        (s) => [s, n],
      ),
    ) as Record<MigrationStatus, number>;
  const registry = migrationsGauge(
    async () => {
      calls++;
      if (failing) throw new Error('store down');
      return all(calls);
    },
    createLogger('silent'),
    () => clock,
  );
  const pending = async () =>
    sampleValue(await registry.metrics(), 'migrateclouds_migrations', { status: 'pending' });
  expect(await pending()).toBe(1);
  clock = MIGRATIONS_GAUGE_CACHE_MS - 1;
  expect(await pending()).toBe(1);
  clock = MIGRATIONS_GAUGE_CACHE_MS;
  expect(await pending()).toBe(2);
  failing = true;
  clock += MIGRATIONS_GAUGE_CACHE_MS;
  expect(await registry.metrics()).not.toMatch(/^migrateclouds_migrations\{/m);
  // A failure is not cached: the next scrape asks again.
  failing = false;
  expect(await pending()).toBe(4);
  expect(calls).toBe(4);
});

describe('with METRICS_TOKEN', () => {
  it('answers 401 in the error envelope without the token or with another', async () => {
    const alice = await guarded.account();
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', alice.auth.Authorization, TOKEN]) {
      const req = request(guarded.app).get('/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expectError(res, 401, 'authentication_error');
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.text).not.toContain('migrateclouds_');
    }
  });

  it('answers 200 with the token', async () => {
    const res = await request(guarded.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(declaredNames(res.text)).toContain('migrateclouds_migrations');
    // The health endpoints stay public.
    expect((await request(guarded.app).get('/healthz')).status).toBe(200);
  });
});
