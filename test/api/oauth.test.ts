// The OAuth authorization-code flow against each provider's emulator: authorize → the consent stand-in
// redirects with code and state → our public callback exchanges the code and creates the connection.
// States are signed, short-lived, single-use and bound to one account and service.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../api/app';
import { deriveStateKey, signState } from '../../api/connections/oauth/state';
import { REDACT_PATHS } from '../../common/logger';
import { servicesWith } from '../../connectors';

const OAUTH_SERVICES = servicesWith('oauth').map((s) => s.name);
import {
  grantRefreshToken,
  revokeAndExpire,
  SAMPLE_TREE,
  startCloudEmulators,
  type CloudEmulators,
} from './cloud-emulators';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

let emus: CloudEmulators;
let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  emus = await startCloudEmulators();
  for (const emu of emus.list) emu.seed({ files: 0, tree: SAMPLE_TREE });
  api = await createTestApi({ env: emus.env });
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
});
afterAll(async () => {
  await api?.close();
  await emus?.close();
  await closeTemporal();
});

interface Authorization {
  authorization_url: string;
  state: string;
  expires_at: string;
  redirect_uri: string;
  connection_id: string;
}

async function authorize(who: TestAccount, service: string, query: Record<string, string> = {}) {
  const res = await request(api.app)
    .get(`/v1/connections/oauth/${service}/authorize`)
    .query(query)
    .set(who.auth);
  expect(res.status).toBe(200);
  return res.body.data as Authorization;
}

/** What the user's browser does: open the consent URL and come back with the provider's redirect. */
async function consent(auth: Authorization): Promise<URL> {
  const res = await fetch(auth.authorization_url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(auth.redirect_uri);
  expect(location.searchParams.get('state')).toBe(auth.state);
  expect(location.searchParams.get('code')).toBeTruthy();
  return location;
}

/** Our callback, as the browser reaches it (no API key). */
const callback = (url: URL | string) => {
  const u = typeof url === 'string' ? new URL(url, 'http://x') : url;
  return request(api.app).get(`${u.pathname}${u.search}`);
};

const callbackWith = (service: string, params: Record<string, string>) =>
  callback(`/v1/oauth/${service}/callback?${new URLSearchParams(params).toString()}`);

const listPaths = async (who: TestAccount, connectionId: string, path = '/') => {
  const res = await request(api.app)
    .get('/v1/files/list')
    .query({ connection_id: connectionId, path })
    .set(who.auth);
  return {
    status: res.status,
    paths: ((res.body.data?.files ?? []) as { path: string }[]).map((f) => f.path).sort(),
  };
};

const PROVIDER_PARAMS: Record<string, Record<string, string>> = {
  google_drive: {
    scope: 'https://www.googleapis.com/auth/drive',
    access_type: 'offline',
    prompt: 'consent',
  },
  onedrive: { response_mode: 'query', scope: 'offline_access Files.ReadWrite.All' },
  dropbox: { token_access_type: 'offline' },
};

describe.each(OAUTH_SERVICES)('the %s round trip', (service) => {
  it('creates the connection once, from the provider’s redirect', async () => {
    const auth = await authorize(alice, service, { name: `Alice via OAuth ${service}` });
    expect(auth.redirect_uri).toBe(`https://migrate.example.test/v1/oauth/${service}/callback`);
    expect(Date.parse(auth.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(auth.expires_at) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const url = new URL(auth.authorization_url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: emus.env[`${service.toUpperCase()}_CLIENT_ID`],
      response_type: 'code',
      redirect_uri: auth.redirect_uri,
      state: auth.state,
      ...PROVIDER_PARAMS[service],
    });
    expect(auth.authorization_url.startsWith(emus.env[`${service.toUpperCase()}_AUTH_URL`]!)).toBe(true);

    const back = await consent(auth);
    const created = await callback(back);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/connections/${auth.connection_id}`);
    expect(created.body.data).toMatchObject({
      id: auth.connection_id,
      service,
      name: `Alice via OAuth ${service}`,
      config: {},
      status: 'active',
    });
    expect(JSON.stringify(created.body)).not.toMatch(/rt\.|at\.|refresh_token|access_token/);
    expect(await api.store.connections.readSecrets(alice.id, auth.connection_id)).toMatch(/^v1\./);
    expect(await listPaths(alice, auth.connection_id)).toEqual({
      status: 200,
      paths: ['/Docs', '/photo.jpg'],
    });

    // The same redirect again (a reload, or someone replaying it): nothing new is made.
    expectError(await callback(back), 409, 'conflict', 'This authorization was already used');
    const all = await request(api.app).get('/v1/connections').set(alice.auth);
    expect(
      (all.body.data.connections as { id: string }[]).filter((c) => c.id === auth.connection_id),
    ).toHaveLength(1);
  });
});

describe('the callback refuses', () => {
  it('a state that was altered, forged, expired or issued for another service', async () => {
    const auth = await authorize(alice, 'google_drive');
    const back = await consent(auth);
    const code = back.searchParams.get('code')!;
    const [payload, signature] = auth.state.split('.') as [string, string];
    // Bob moves Alice's state to his account: the signature no longer matches.
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    altered.accountId = bob.id;
    const moved = `${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`;
    const forged = `${payload}.${Buffer.alloc(32, 1).toString('base64url')}`;
    for (const state of [moved, forged, 'garbage', `${payload}`, `${auth.state}.x`]) {
      const res = await callbackWith('google_drive', { code, state });
      const err = expectError(
        res,
        400,
        'invalid_parameter',
        "Invalid parameter 'state': is not a state this server issued",
      );
      expect(err.details).toContain('GET /v1/connections/oauth/google_drive/authorize');
    }
    expectError(
      await callbackWith('google_drive', { code }),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': is required",
    );

    const key = deriveStateKey(emus.env.MIGRATECLOUDS_ENCRYPTION_KEY!);
    const base = {
      accountId: alice.id,
      service: 'google_drive' as const,
      connectionId: 'conn_x',
      reauthorize: false,
      name: null,
    };
    const expired = signState(key, { ...base, expiresAt: Date.now() - 1 });
    expectError(
      await callbackWith('google_drive', { code, state: expired }),
      400,
      'invalid_parameter',
      /^Invalid parameter 'state': has expired/,
    );
    expectError(
      await callbackWith('dropbox', { code, state: auth.state }),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': was issued for google_drive, not dropbox",
    );
    // A key derived from another secret signs states this server does not accept.
    const otherKey = deriveStateKey(Buffer.alloc(32, 7).toString('base64'));
    const foreign = signState(otherKey, { ...base, expiresAt: Date.now() + 60_000 });
    expectError(
      await callbackWith('google_drive', { code, state: foreign }),
      400,
      'invalid_parameter',
      /'state'/,
    );

    // None of that used the code: the genuine state still completes.
    expect((await callback(back)).status).toBe(201);
  });

  it('a code the provider does not accept, naming code', async () => {
    const auth = await authorize(alice, 'onedrive');
    const res = await callbackWith('onedrive', { code: 'code.bogus', state: auth.state });
    const err = expectError(
      res,
      400,
      'invalid_parameter',
      "Invalid parameter 'code': is expired or was already used",
    );
    expect(err.details).toMatch(/invalid_grant/);
    expect(JSON.stringify(res.body)).not.toContain('code.bogus');
    expectError(
      await callbackWith('onedrive', { state: auth.state }),
      400,
      'invalid_parameter',
      "Invalid parameter 'code': is required",
    );
    expect(await api.store.connections.get(alice.id, auth.connection_id)).toBeUndefined();
  });

  it('what the user declined at the provider (403) and what the provider failed (502)', async () => {
    const auth = await authorize(alice, 'dropbox');
    const declined = await callbackWith('dropbox', {
      error: 'access_denied',
      error_description: 'The user chose not to give your app access',
      state: auth.state,
    });
    const err = expectError(declined, 403, 'permission_denied', 'Access was declined at Dropbox');
    expect(err.details).toContain('The user chose not to give your app access');
    const drive = await authorize(alice, 'google_drive');
    const failed = await callbackWith('google_drive', { error: 'server_error', state: drive.state });
    expectError(failed, 502, 'service_error', 'Google Drive did not authorize the connection');
    // Without a state this server issued, an error is anyone's word: not the service failing (no 5xx).
    expectError(
      await callbackWith('google_drive', { error: 'server_error' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': is required",
    );
    expectError(
      await callbackWith('google_drive', { error: 'server_error', state: 'forged.state' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': is not a state this server issued",
    );
    expect(await api.store.connections.get(alice.id, auth.connection_id)).toBeUndefined();
  });
});

describe('authorize', () => {
  it('validates the service and the connection to authorize again', async () => {
    const path = (s: string) => `/v1/connections/oauth/${s}/authorize`;
    expectError(
      await request(api.app).get(path('ftp')).set(alice.auth),
      400,
      'invalid_parameter',
      "Invalid parameter 'service': must be one of: google_drive, onedrive, dropbox",
    );
    expectError(
      await request(api.app).get(path('local')).set(alice.auth),
      400,
      'invalid_parameter',
      /'service'/,
    );
    expectError(await request(api.app).get(path('dropbox')), 401, 'authentication_error');
    expectError(
      await request(api.app).get(path('dropbox')).query({ connection_id: 'conn_nope' }).set(alice.auth),
      404,
      'resource_not_found',
      "Connection 'conn_nope' was not found",
    );
    expectError(
      await request(api.app).get(path('dropbox')).query({ colour: 'blue' }).set(alice.auth),
      400,
      'invalid_parameter',
      "Invalid parameter 'colour': is not a known field",
    );

    const rt = await grantRefreshToken(emus.byService.dropbox);
    const mine = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'dropbox', refresh_token: rt });
    const id = mine.body.data.id as string;
    expectError(
      await request(api.app).get(path('google_drive')).query({ connection_id: id }).set(alice.auth),
      400,
      'invalid_parameter',
      `Invalid parameter 'connection_id': connection ${id} is a dropbox connection, not google_drive`,
    );
    expectError(
      await request(api.app).get(path('dropbox')).send({ connection_id: id, name: 'x' }).set(alice.auth),
      400,
      'invalid_parameter',
      "Invalid parameter 'name': cannot be combined with connection_id",
    );
    // Bob cannot authorize Alice's connection again (it is not his to see).
    expectError(
      await request(api.app).get(path('dropbox')).query({ connection_id: id }).set(bob.auth),
      404,
      'resource_not_found',
    );
  });

  it('says which settings an unconfigured service needs', async () => {
    const bare = await createTestApi({
      env: { MIGRATECLOUDS_ENCRYPTION_KEY: emus.env.MIGRATECLOUDS_ENCRYPTION_KEY! },
    });
    const carol = await bare.account();
    try {
      const res = await request(bare.app).get('/v1/connections/oauth/onedrive/authorize').set(carol.auth);
      const err = expectError(
        res,
        400,
        'invalid_parameter',
        "Invalid parameter 'service': onedrive is not configured on this server",
      );
      expect(err.details).toContain('ONEDRIVE_CLIENT_ID, ONEDRIVE_CLIENT_SECRET');
    } finally {
      await bare.close();
    }
  });
});

describe('tenant isolation', () => {
  it('a state makes its connection in the account that asked for it, whoever completes it', async () => {
    const auth = await authorize(alice, 'google_drive', { name: 'Alice only' });
    const back = await consent(auth);
    // Bob completes Alice's redirect with his own key attached: the key plays no part.
    const res = await callback(back).set(bob.auth);
    expect(res.status).toBe(201);
    expect((await api.store.connections.get(alice.id, auth.connection_id))?.name).toBe('Alice only');
    expectError(
      await request(api.app).get(`/v1/connections/${auth.connection_id}`).set(bob.auth),
      404,
      'resource_not_found',
    );
    expect((await listPaths(bob, auth.connection_id)).status).toBe(404);
  });
});

describe('authorizing again', () => {
  it.each(OAUTH_SERVICES)(
    'gives a %s connection in needs_reauth new tokens and makes it active',
    async (service) => {
      const emu = emus.byService[service];
      const rt = await grantRefreshToken(emu);
      const created = await request(api.app)
        .post('/v1/connections')
        .set(alice.auth)
        .send({ service, name: `Again ${service}`, refresh_token: rt });
      const id = created.body.data.id as string;
      await revokeAndExpire(emu, rt);
      expect((await listPaths(alice, id)).status).toBe(403);
      expect((await api.store.connections.get(alice.id, id))?.status).toBe('needs_reauth');
      const sealedBefore = await api.store.connections.readSecrets(alice.id, id);

      const auth = await authorize(alice, service, { connection_id: id });
      expect(auth.connection_id).toBe(id);
      const res = await callback(await consent(auth));
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id, name: `Again ${service}`, status: 'active' });
      expect(await api.store.connections.readSecrets(alice.id, id)).not.toEqual(sealedBefore);
      expect(await listPaths(alice, id, '/Docs')).toEqual({
        status: 200,
        paths: ['/Docs/notes.txt', '/Docs/report.pdf'],
      });
    },
  );
});

it('documents the callback as public and authorize as authenticated', async () => {
  const res = await request(api.app).get('/v1/openapi.json');
  const paths = res.body.paths as Record<string, { get: { security?: unknown[] } }>;
  expect(paths['/v1/oauth/{service}/callback']?.get.security).toEqual([]);
  expect(paths['/v1/connections/oauth/{service}/authorize']?.get.security).toEqual([{ bearerAuth: ['write'] }]);
});

it('never logs a refresh token or an authorization code', async () => {
  let logged = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const app = createApp({
    store: api.store,
    temporal: { client: api.client, namespace: 'default', taskQueue: api.taskQueue },
    config: api.config,
    logger,
    rateLimiter: api.rateLimiter,
  });
  const rt = await grantRefreshToken(emus.byService.onedrive);
  const created = await request(app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'onedrive', refresh_token: rt });
  expect(created.status).toBe(201);
  await request(app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'onedrive', refresh_token: 'rt.bogus' });
  const auth = (await request(app).get('/v1/connections/oauth/onedrive/authorize').set(alice.auth)).body
    .data as Authorization;
  const back = await consent(auth);
  const code = back.searchParams.get('code')!;
  expect((await request(app).get(`${back.pathname}${back.search}`)).status).toBe(201);
  expect((await request(app).get(`${back.pathname}${back.search}`)).status).toBe(409);

  expect(logged).toContain('/v1/oauth/onedrive/callback?code=[redacted]');
  for (const secret of [rt, 'rt.bogus', code, alice.key]) expect(logged).not.toContain(secret);
});
