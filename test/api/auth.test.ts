// Authentication: every way a key can be wrong answers 401 authentication_error; public routes need none;
// repeated failures from one address are throttled.
import { randomBase62 } from '../../common/ids';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

let api: TestApi;
let alice: TestAccount;

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account();
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

describe('authentication', () => {
  it('accepts a valid key', async () => {
    const res = await request(api.app).get('/v1/account').set(alice.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      data: {
        id: alice.id,
        name: 'Test',
        plan: 'pro',
        rate_limit: { requests_per_minute: 1000 },
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
  });

  it.each([
    ['missing', undefined, 'Missing API key'],
    ['not Bearer', 'Basic dXNlcjpwYXNz', 'Malformed Authorization header: expected "Bearer <api key>"'],
    ['Bearer without a key', 'Bearer', 'Malformed Authorization header: expected "Bearer <api key>"'],
    ['unknown', `Bearer mc_${randomBase62(40)}`, 'Unknown or revoked API key'],
    ['not a key at all', 'Bearer hunter2', 'Unknown or revoked API key'],
  ])('rejects a %s key with 401', async (_label, header, message) => {
    const req = request(api.app).get('/v1/account');
    const res = await (header ? req.set('Authorization', header) : req);
    expectError(res, 401, 'authentication_error', message);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    // No account to count against: the headers show this address's failed-authentication budget.
    expect(res.headers['x-ratelimit-limit']).toBe('1000');
    expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThanOrEqual(1000);
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('rejects a key right after it is revoked', async () => {
    const created = await request(api.app).post('/v1/api-keys').set(alice.auth).send({ name: 'temp' });
    expect(created.status).toBe(201);
    const { id, key } = created.body.data as { id: string; key: string };
    const second = { Authorization: `Bearer ${key}` };
    expect((await request(api.app).get('/v1/account').set(second)).status).toBe(200);

    const revoked = await request(api.app).delete(`/v1/api-keys/${id}`).set(alice.auth);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id, name: 'temp', revoked_at: expect.any(String) });

    const res = await request(api.app).get('/v1/account').set(second);
    expectError(res, 401, 'authentication_error', 'Unknown or revoked API key');
    // The key that revoked it still works.
    expect((await request(api.app).get('/v1/account').set(alice.auth)).status).toBe(200);
  });

  it('serves the public routes without a key', async () => {
    const health = await request(api.app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'success', data: { status: 'ok' } });
    const ready = await request(api.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'success',
      data: { status: 'ready', checks: { store: 'ok', temporal: 'ok' } },
    });
    expect((await request(api.app).get('/v1/openapi.json')).status).toBe(200);
    expect((await request(api.app).get('/docs')).status).toBe(200);
  });

  it('throttles failed authentications per address, never a valid key', async () => {
    const guarded = await createTestApi({ failedAuthPerMinute: 3 });
    const bob = await guarded.account();
    const guess = () =>
      request(guarded.app)
        .get('/v1/account')
        .set('Authorization', `Bearer mc_${randomBase62(40)}`);
    for (let i = 0; i < 3; i++) expectError(await guess(), 401, 'authentication_error');
    const blocked = await guess();
    expectError(blocked, 429, 'rate_limit_exceeded', 'Too many failed authentications from this address');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Missing keys are not guesses and are not throttled; a valid key from the throttled address (say,
    // every customer behind one load balancer) goes through, however many guesses came from there.
    expectError(await request(guarded.app).get('/v1/account'), 401, 'authentication_error');
    for (let i = 0; i < 20; i++) expectError(await guess(), 429, 'rate_limit_exceeded');
    const valid = await request(guarded.app).get('/v1/account').set(bob.auth);
    expect(valid.status).toBe(200);
    expect(valid.body.data.id).toBe(bob.id);
    await guarded.close();
  });

  it('behind a trusted proxy, counts failed authentications per client address', async () => {
    const proxied = await createTestApi({ failedAuthPerMinute: 2, env: { TRUST_PROXY: '1' } });
    const guess = (client: string) =>
      request(proxied.app)
        .get('/v1/account')
        .set('X-Forwarded-For', client)
        .set('Authorization', `Bearer mc_${randomBase62(40)}`);
    for (let i = 0; i < 2; i++) expectError(await guess('203.0.113.1'), 401, 'authentication_error');
    expectError(await guess('203.0.113.1'), 429, 'rate_limit_exceeded');
    expectError(await guess('203.0.113.2'), 401, 'authentication_error');
    await proxied.close();
  });

  it('answers readiness 503 naming the failed check', async () => {
    const broken = await createTestApi();
    await broken.store.close();
    const res = await request(broken.app).get('/readyz');
    expectError(res, 503, 'service_error', 'Not ready: store unavailable');
    await broken.close().catch(() => undefined);
  });
});
