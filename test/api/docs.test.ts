// The OpenAPI document and the docs page: generated from the route schemas, served without a key,
// every route documented and every documented route real, assets from our own server.
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from './helpers';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /v1/openapi.json',
  'GET /docs',
  'GET /v1/account',
  'GET /v1/api-keys',
  'POST /v1/api-keys',
  'DELETE /v1/api-keys/{id}',
  'GET /v1/connections',
  'POST /v1/connections',
  'GET /v1/connections/{id}',
  'DELETE /v1/connections/{id}',
  'GET /v1/connections/oauth/{service}/authorize',
  'GET /v1/oauth/{service}/start',
  'GET /v1/oauth/{service}/callback',
  'GET /v1/files/list',
  'GET /v1/files/metadata',
  'GET /v1/migrations',
  'POST /v1/migrations',
  'GET /v1/migrations/{id}',
  'POST /v1/migrations/{id}/pause',
  'POST /v1/migrations/{id}/resume',
  'POST /v1/migrations/{id}/cancel',
  'GET /v1/migrations/{id}/items',
  'GET /v1/migrations/{id}/report',
  'GET /v1/syncs',
  'POST /v1/syncs',
  'GET /v1/syncs/{id}',
  'PATCH /v1/syncs/{id}',
  'DELETE /v1/syncs/{id}',
  'POST /v1/syncs/{id}/pause',
  'POST /v1/syncs/{id}/resume',
  'POST /v1/syncs/{id}/trigger',
  'GET /v1/syncs/{id}/runs',
  'GET /v1/webhooks',
  'POST /v1/webhooks',
  'GET /v1/webhooks/{id}',
  'DELETE /v1/webhooks/{id}',
  'POST /v1/webhooks/{id}/test',
  'GET /v1/webhooks/{id}/deliveries',
  'GET /v1/webhooks/{id}/deliveries/{delivery_id}',
  'POST /v1/session',
  'GET /v1/session',
  'DELETE /v1/session',
  'DELETE /v1/sessions',
  'POST /v1/session/login-links/{token}',
  'GET /v1/users',
  'POST /v1/invites',
  'GET /v1/invites/{token}',
  'POST /v1/invites/{token}/accept',
];

let api: TestApi;
let alice: TestAccount;
let doc: Doc;

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account();
  const res = await request(api.app).get('/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.body as Doc;
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document of exactly the API’s routes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'MigrateClouds API', version: '1.0.0' });
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual([...ROUTES].sort());
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    for (const name of [
      'Account',
      'ApiKey',
      'Connection',
      'FileEntry',
      'Migration',
      'MigrationItem',
      'Sync',
      'Error',
    ]) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it('documents every documented route as a real route', async () => {
    const agent = request(api.app);
    const call = { GET: agent.get, POST: agent.post, PATCH: agent.patch, DELETE: agent.delete } as const;
    for (const route of ROUTES) {
      const [method, p] = route.split(' ') as [keyof typeof call, string];
      const res = await call[method].call(agent, p.replace('{id}', 'x_unknown')).set(alice.auth);
      const message = (res.body as { error?: { message?: string } }).error?.message ?? 'answered';
      expect([route, message]).not.toEqual([route, expect.stringMatching(/^No route for/)]);
    }
  });

  it('documents parameters, bodies, headers, errors and security from the schemas', () => {
    const list = doc.paths['/v1/files/list']!.get!;
    expect(list.parameters!.map((p) => `${p.in}:${p.name}:${p.required}`).sort()).toEqual([
      'query:connection_id:false',
      'query:page_size:false',
      'query:page_token:false',
      'query:path:true',
      'query:recursive:false',
      'query:service:false',
    ]);
    const create = doc.paths['/v1/migrations']!.post!;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
    expect(create.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateMigrationRequest' } } },
    });
    expect(Object.keys(create.responses).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '429',
      '500',
      '502',
    ]);
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(doc.paths['/v1/account']!.get!.security).toEqual([{ bearerAuth: ['read'] }]);
  });
});

describe('GET /docs', () => {
  it('serves an HTML page whose scripts and styles all come from this server', async () => {
    const res = await request(api.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.text;
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/assets/swagger-ui.css',
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/init.js',
      ]),
    );
    for (const asset of assets) {
      const a = await request(api.app).get(asset);
      expect([asset, a.status]).toEqual([asset, 200]);
      expect(Number(a.headers['content-length'] ?? a.text?.length ?? 0)).toBeGreaterThan(0);
    }
    const init = await request(api.app).get('/docs/init.js');
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain("url: '/v1/openapi.json'");
  });

  it('keeps an API key in memory only, and says so on the page', async () => {
    const page = await request(api.app).get('/docs');
    expect(page.text).toMatch(/stays in this page's memory only/);
    const init = (await request(api.app).get('/docs/init.js')).text;
    expect(init).toContain('persistAuthorization: false');
    expect(init).not.toContain('persistAuthorization: true');
    // Keys an earlier version of the page left in localStorage are removed; nothing else touches it.
    expect(init.match(/localStorage\.\w+/g)).toEqual(['localStorage.removeItem']);
    expect(init).toContain("localStorage.removeItem('authorized')");
    // No call to swagger.io's validator from the page.
    expect(init).toContain('validatorUrl: null');
  });

  it('allows the page scripts, styles and requests from this server only', async () => {
    const page = await request(api.app).get('/docs');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const policy = Object.fromEntries(
      String(page.headers['content-security-policy'])
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(policy).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    // PUBLIC_URL elsewhere: "Try it out" may send requests there, and only there.
    const elsewhere = await createTestApi({ env: { PUBLIC_URL: 'https://api.example.com/base' } });
    const csp = String((await request(elsewhere.app).get('/docs')).headers['content-security-policy']);
    expect(csp).toContain("connect-src 'self' https://api.example.com;");
    await elsewhere.close();
  });

  it('does not serve the package’s demo page or initializer', async () => {
    for (const file of [
      '/docs/assets/index.html',
      '/docs/assets/swagger-initializer.js',
      '/docs/assets/../package.json',
    ]) {
      expect((await request(api.app).get(file)).status).toBe(404);
    }
  });
});
