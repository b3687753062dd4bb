// The small holes hostile input found (issue 14, item 8), each closed with the documented envelope:
// path ids that do not decode, NUL and control characters on their way to PostgreSQL, webhook errors
// that named resolved addresses, and answers without nosniff or a Content-Security-Policy.
// On PostgreSQL when DATABASE_URL_TEST is set (it refuses NUL in text: that was the 500).
import { StoreTarget } from '../store/targets';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

let target: StoreTarget | undefined;
let api: TestApi;
let alice: TestAccount;

beforeAll(async () => {
  if (process.env.DATABASE_URL_TEST) target = new StoreTarget('postgres');
  api = await createTestApi({ store: target && (await target.open()) });
  alice = await api.account();
});
afterAll(async () => {
  await api.close();
  await target?.teardown();
  await closeTemporal();
});

type Method = 'get' | 'post' | 'patch' | 'delete';
const call = (method: Method, url: string) => request(api.app)[method](url).set(alice.auth);

/** Every operation with an id in its path (the seven the fuzzer found, and the rest alike). */
const ID_ROUTES: [Method, string][] = [
  ['delete', '/v1/api-keys/{id}'],
  ['get', '/v1/connections/{id}'],
  ['delete', '/v1/connections/{id}'],
  ['get', '/v1/migrations/{id}'],
  ['post', '/v1/migrations/{id}/pause'],
  ['post', '/v1/migrations/{id}/resume'],
  ['post', '/v1/migrations/{id}/cancel'],
  ['get', '/v1/migrations/{id}/items'],
  ['get', '/v1/migrations/{id}/report'],
  ['get', '/v1/syncs/{id}'],
  ['patch', '/v1/syncs/{id}'],
  ['delete', '/v1/syncs/{id}'],
  ['post', '/v1/syncs/{id}/pause'],
  ['post', '/v1/syncs/{id}/resume'],
  ['post', '/v1/syncs/{id}/trigger'],
  ['get', '/v1/syncs/{id}/runs'],
  ['get', '/v1/webhooks/{id}'],
  ['delete', '/v1/webhooks/{id}'],
  ['post', '/v1/webhooks/{id}/test'],
  ['get', '/v1/webhooks/{id}/deliveries'],
];

describe('path ids that do not decode', () => {
  it.each(['%ED%A0%80', '%ZZ', '%', '%C0%AF'])(
    'answers %s with 400 naming the id, on every operation',
    async (raw) => {
      for (const [method, template] of ID_ROUTES) {
        const res = await call(method, template.replace('{id}', raw));
        const err = expectError(
          res,
          400,
          'invalid_parameter',
          "Invalid parameter 'id': is not valid percent-encoded UTF-8",
        );
        expect(err.details).toMatch(/Pass an id returned by the API/);
      }
      const delivery = await call('get', `/v1/webhooks/wh_x/deliveries/${raw}`);
      expectError(
        delivery,
        400,
        'invalid_parameter',
        "Invalid parameter 'delivery_id': is not valid percent-encoded UTF-8",
      );
    },
  );

  it('still answers a well-formed unknown id with 404', async () => {
    expectError(await call('get', '/v1/migrations/mig_%C3%A9'), 404, 'resource_not_found');
  });
});

describe('NUL and control characters', () => {
  const CONTROL = /^must not contain control characters \(U\+00(00|01|0A|1B|85) at character \d+\)$/;
  const refused = (res: request.Response, param: string) => {
    const err = expectError(res, 400, 'invalid_parameter');
    expect(err.message.startsWith(`Invalid parameter '${param}': `)).toBe(true);
    expect(err.message.slice(`Invalid parameter '${param}': `.length)).toMatch(CONTROL);
    expect(err.details).toMatch(/without NUL or other control characters/);
  };

  it('refuses them in names, paths, ids and tokens, naming the field, before the store sees them', async () => {
    refused(await call('post', '/v1/api-keys').send({ name: 'ci\u0000' }), 'name');
    refused(await call('post', '/v1/api-keys').send({ name: 'c\u001b[31mi' }), 'name');
    refused(
      await call('post', '/v1/connections').send({
        service: 'local',
        name: 'a\u0000b',
        config: { root: api.root },
      }),
      'name',
    );
    refused(await call('get', '/v1/files/list').query({ service: 'local', path: '/a\nb' }), 'path');
    refused(
      await call('post', '/v1/migrations').send({
        source: { connection_id: 'conn_x', path: '/a\u0001' },
        destination: { connection_id: 'conn_y', path: '/' },
      }),
      'source.path',
    );
    refused(await call('get', '/v1/migrations/mig_a%00b'), 'id');
    refused(await call('get', '/v1/connections').query({ page_token: 'x\u0085' }), 'page_token');
    refused(
      await call('post', '/v1/webhooks').send({
        url: 'https://hooks.example.com/x',
        events: ['migration.completed'],
        description: 'line one\n\u0000',
      }),
      'description',
    );
    // A key no schema knows is named too (and refused before it is found unknown).
    refused(await call('post', '/v1/api-keys').send({ name: 'ok', 'x\u0000': 1 }), 'x\u0000');
    const keys = await call('get', '/v1/api-keys');
    expect((keys.body.data.api_keys as { name: string }[]).map((k) => k.name)).toEqual(['test']);
  });
});

describe('webhook targets', () => {
  it('says a URL resolves to a private address without saying which', async () => {
    const res = await call('post', '/v1/webhooks').send({
      url: 'https://localhost/hook',
      events: ['migration.completed'],
    });
    const err = expectError(
      res,
      400,
      'invalid_parameter',
      /^Invalid parameter 'url': resolves to a loopback address, which webhooks may not be sent to$/,
    );
    expect(JSON.stringify(err)).not.toMatch(/127\.0\.0\.1|::1/);
  });
});

describe('security headers', () => {
  it('sends nosniff and a deny-all Content-Security-Policy with every JSON answer', async () => {
    const answers = [
      await call('get', '/v1/account'),
      await call('get', '/v1/nothing'),
      await request(api.app).get('/v1/account'),
      await call('get', '/v1/migrations/%ZZ'),
      await request(api.app).get('/healthz'),
      await request(api.app).get('/v1/openapi.json'),
    ];
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
