// API key scopes: a key does what its scope allows (read ⊂ write ⊂ admin) and nothing more, and the
// OpenAPI document names each operation's scope. A leaked read-only key is no takeover.
import fs from 'node:fs';
import path from 'node:path';
import { closeTemporal, createTestApi, expectError, request, type TestApi } from './helpers';

let api: TestApi;
let owner: { id: string; auth: Record<string, string> };

beforeAll(async () => {
  api = await createTestApi();
  owner = await api.account('pro', 'Owner');
  fs.mkdirSync(path.join(api.root, 'photos'));
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

/** A key of `scope` for the owner's account, made through the API by its admin key. */
async function keyWith(scope?: 'read' | 'write' | 'admin') {
  const res = await request(api.app)
    .post('/v1/api-keys')
    .set(owner.auth)
    .send(scope ? { name: `${scope} key`, scope } : { name: 'default key' });
  expect(res.status).toBe(201);
  return {
    scope: res.body.data.scope as string,
    id: res.body.data.id as string,
    auth: { Authorization: `Bearer ${res.body.data.key as string}` },
  };
}

it('gives a new key the least power unless asked for more', async () => {
  expect((await keyWith()).scope).toBe('read');
  expect((await keyWith('write')).scope).toBe('write');
  const listed = await request(api.app).get('/v1/api-keys').set(owner.auth);
  expect(listed.body.data.api_keys.map((k: { scope: string }) => k.scope)).toEqual([
    'admin',
    'read',
    'write',
  ]);
});

it('a read key reads, and is refused every change with the scope it lacks', async () => {
  const reader = await keyWith('read');
  expect((await request(api.app).get('/v1/migrations').set(reader.auth)).status).toBe(200);
  expect((await request(api.app).get('/v1/account').set(reader.auth)).status).toBe(200);

  const refused = [
    request(api.app)
      .post('/v1/connections')
      .set(reader.auth)
      .send({ service: 'local', config: { root: path.join(api.root, 'photos') } }),
    request(api.app).post('/v1/api-keys').set(reader.auth).send({ name: 'escalate', scope: 'admin' }),
    request(api.app).delete(`/v1/api-keys/${reader.id}`).set(reader.auth),
    request(api.app).get('/v1/connections/oauth/google_drive/authorize').set(reader.auth),
  ];
  const needs = ['write', 'admin', 'admin', 'write'];
  for (const [i, pending] of refused.entries()) {
    const error = expectError(await pending, 403, 'permission_denied');
    expect(error.message).toMatch(
      new RegExp(`^This API key has scope 'read'; .* needs scope '${needs[i]}'$`),
    );
  }
  // Nothing was done: no connection, no new key, the key itself still works.
  expect((await request(api.app).get('/v1/connections').set(owner.auth)).body.data.connections).toEqual([]);
  expect((await request(api.app).get('/v1/account').set(reader.auth)).status).toBe(200);
});

it('a write key changes migrations and connections, never keys or webhooks', async () => {
  const writer = await keyWith('write');
  const created = await request(api.app)
    .post('/v1/connections')
    .set(writer.auth)
    .send({ service: 'local', config: { root: path.join(api.root, 'photos') } });
  expect(created.status).toBe(201);
  expectError(
    await request(api.app).post('/v1/api-keys').set(writer.auth).send({ name: 'x' }),
    403,
    'permission_denied',
  );
  expectError(await request(api.app).get('/v1/api-keys').set(writer.auth), 403, 'permission_denied');
  expectError(
    await request(api.app)
      .post('/v1/webhooks')
      .set(writer.auth)
      .send({ url: 'https://example.com/hook', events: ['migration.completed'] }),
    403,
    'permission_denied',
  );
  expectError(await request(api.app).get('/v1/webhooks').set(writer.auth), 403, 'permission_denied');
});

it('names each operation’s scope in the OpenAPI document', async () => {
  const doc = (await request(api.app).get('/v1/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[]; description?: string }>>;
  };
  const scopes: Record<string, string> = {};
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const security = op.security ?? [];
      if (security.length === 0) continue; // public
      const [scope] = security[0].bearerAuth;
      expect(op.description).toContain(`scope \`${scope}\``);
      scopes[`${method.toUpperCase()} ${p}`] = scope;
    }
  }
  expect(scopes).toMatchObject({
    'GET /v1/migrations': 'read',
    'POST /v1/migrations': 'write',
    'POST /v1/migrations/{id}/cancel': 'write',
    'POST /v1/connections': 'write',
    'GET /v1/connections/oauth/{service}/authorize': 'write',
    'GET /v1/api-keys': 'admin',
    'POST /v1/api-keys': 'admin',
    'DELETE /v1/api-keys/{id}': 'admin',
    'POST /v1/webhooks': 'admin',
    'GET /v1/account': 'read',
  });
  expect(Object.values(scopes).every((s) => ['read', 'write', 'admin'].includes(s))).toBe(true);
});
