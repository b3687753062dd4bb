// Account, API keys and connections: shapes, status codes, paging, and tenant isolation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account('pro', 'Alice');
  bob = await api.account('enterprise', 'Bob');
  fs.mkdirSync(path.join(api.root, 'photos'));
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

describe('api keys', () => {
  it('creates a key shown once, lists prefixes only', async () => {
    const created = await request(api.app).post('/v1/api-keys').set(alice.auth).send({ name: 'ci' });
    expect(created.status).toBe(201);
    const key = created.body.data as Record<string, unknown>;
    expect(key).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'ci',
      scope: 'read',
      prefix: (key.key as string).slice(0, 10),
      created_at: expect.stringMatching(ISO),
      last_used_at: null,
      revoked_at: null,
      key: expect.stringMatching(/^mc_[0-9A-Za-z]{40}$/),
    });
    expect(created.headers.location).toBe(`/v1/api-keys/${key.id as string}`);

    const list = await request(api.app).get('/v1/api-keys').set(alice.auth);
    expect(list.status).toBe(200);
    const keys = list.body.data.api_keys as Record<string, unknown>[];
    expect(keys.map((k) => k.name)).toEqual(['test', 'ci']);
    expect(JSON.stringify(list.body)).not.toContain(key.key as string);
    expect(keys.every((k) => !('key' in k) && typeof k.prefix === 'string')).toBe(true);
  });

  it('answers 404 for unknown and other accounts’ keys', async () => {
    const bobKeys = await request(api.app).get('/v1/api-keys').set(bob.auth);
    const bobKeyId = bobKeys.body.data.api_keys[0].id as string;
    expectError(
      await request(api.app).delete(`/v1/api-keys/${bobKeyId}`).set(alice.auth),
      404,
      'resource_not_found',
      `API key '${bobKeyId}' was not found`,
    );
    expectError(
      await request(api.app).delete('/v1/api-keys/key_nope').set(alice.auth),
      404,
      'resource_not_found',
    );
    // Bob's key still works.
    expect((await request(api.app).get('/v1/account').set(bob.auth)).status).toBe(200);
  });
});

describe('connections', () => {
  it('creates a local connection inside the allowed roots', async () => {
    const res = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', name: 'Photos', config: { root: path.join(api.root, 'photos') } });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.stringMatching(/^conn_/),
      service: 'local',
      name: 'Photos',
      config: { root: path.join(api.root, 'photos') },
      status: 'active',
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    expect(res.headers.location).toBe(`/v1/connections/${res.body.data.id as string}`);
    const got = await request(api.app).get(res.headers.location!).set(alice.auth);
    expect(got.body).toEqual(res.body);
  });

  it('refuses roots outside the allowed roots, missing roots and files', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-outside-'));
    const res = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: { root: outside } });
    expectError(
      res,
      403,
      'permission_denied',
      /^Invalid parameter 'config.root': .* is outside the folders granted to this account$/,
    );
    fs.rmSync(outside, { recursive: true });

    const missing = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: { root: path.join(api.root, 'nope') } });
    expectError(missing, 400, 'invalid_parameter', /^Invalid parameter 'config.root': .*does not exist$/);

    fs.writeFileSync(path.join(api.root, 'file.txt'), 'x');
    const file = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: { root: path.join(api.root, 'file.txt') } });
    expectError(file, 400, 'invalid_parameter', /^Invalid parameter 'config.root': .*is not a folder$/);

    const noRoot = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: {} });
    expectError(noRoot, 400, 'invalid_parameter', "Invalid parameter 'config.root': is required");
  });

  it('lists connections in pages', async () => {
    const carol = await api.account('pro', 'Carol');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(api.app)
        .post('/v1/connections')
        .set(carol.auth)
        .send({ service: 'local', name: `c${i}`, config: { root: api.root } });
      ids.push(res.body.data.id as string);
    }
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res = await request(api.app)
        .get('/v1/connections')
        .query({ page_size: 2, ...(token ? { page_token: token } : {}) })
        .set(carol.auth);
      expect(res.status).toBe(200);
      seen.push(...(res.body.data.connections as { id: string }[]).map((c) => c.id));
      token = res.body.data.next_page_token as string | null;
      pages++;
    } while (token);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const badToken = await request(api.app).get('/v1/connections?page_token=garbage!').set(carol.auth);
    expectError(
      badToken,
      400,
      'invalid_parameter',
      "Invalid parameter 'page_token': is not a valid page token",
    );
  });

  it('deletes a connection', async () => {
    const created = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: { root: api.root } });
    const id = created.body.data.id as string;
    expect(created.body.data.name).toBe(`local:${api.root}`);
    const del = await request(api.app).delete(`/v1/connections/${id}`).set(alice.auth);
    expect(del.status).toBe(200);
    expect(del.body.data.id).toBe(id);
    expectError(
      await request(api.app).get(`/v1/connections/${id}`).set(alice.auth),
      404,
      'resource_not_found',
    );
    expectError(
      await request(api.app).delete(`/v1/connections/${id}`).set(alice.auth),
      404,
      'resource_not_found',
    );
  });
});

describe('tenant isolation', () => {
  it('hides one account’s connections from another', async () => {
    const dave = await api.account('pro', 'Dave');
    const erin = await api.account('pro', 'Erin');
    const created = await request(api.app)
      .post('/v1/connections')
      .set(dave.auth)
      .send({ service: 'local', config: { root: api.root } });
    const id = created.body.data.id as string;
    const msg = `Connection '${id}' was not found`;
    expectError(
      await request(api.app).get(`/v1/connections/${id}`).set(erin.auth),
      404,
      'resource_not_found',
      msg,
    );
    expectError(
      await request(api.app).delete(`/v1/connections/${id}`).set(erin.auth),
      404,
      'resource_not_found',
      msg,
    );
    const list = await request(api.app).get('/v1/connections').set(erin.auth);
    expect(list.body.data).toEqual({ connections: [], next_page_token: null });
    const files = await request(api.app)
      .get('/v1/files/list')
      .query({ connection_id: id, path: '/' })
      .set(erin.auth);
    expectError(files, 404, 'resource_not_found', msg);
    expect((await request(api.app).get(`/v1/connections/${id}`).set(dave.auth)).status).toBe(200);
  });
});
