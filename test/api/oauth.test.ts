// The OAuth authorization-code flow against each provider's emulator: authorize → the consent stand-in
// redirects with code and state → our public callback exchanges the code and creates the connection.
// States are random, stored server-side (hashed), short-lived, single-use, bound to one account and
// service and to the browser that opened the start URL (a cookie); every flow uses PKCE (S256).
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Application as Express } from 'express';
import pino from 'pino';
import { createApp } from '../../api/app';
import { hashSecret } from '../../api/connections/oauth/state';
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

/** A browser: the cookies our server set in it (name → value). */
type Browser = Map<string, string>;
const cookieHeader = (b: Browser) => [...b].map(([k, v]) => `${k}=${v}`).join('; ');
function keepCookies(b: Browser, setCookie: string[] | string | undefined) {
  for (const line of ([] as string[]).concat(setCookie ?? [])) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
    if (value && !/Max-Age=0/.test(line)) b.set(name, value);
    else b.delete(name);
  }
}

/** Which browser came back with which redirect, so `callback(back)` sends its cookies. */
const browserOf = new Map<string, Browser>();
/** The provider consent URL of each start, by state. */
const consentUrlOf = new Map<string, URL>();

/** The browser opens authorization_url (our start URL): it gets the cookie and the provider's URL. */
async function start(auth: Authorization, browser: Browser = new Map(), app: Express = api.app) {
  const startUrl = new URL(auth.authorization_url);
  expect(`${startUrl.origin}${startUrl.pathname}`).toBe(auth.redirect_uri.replace(/callback$/, 'start'));
  const res = await request(app)
    .get(`${startUrl.pathname}${startUrl.search}`)
    .set(browser.size ? { cookie: cookieHeader(browser) } : {});
  expect(res.status).toBe(302);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  expect(cookie).toHaveLength(1);
  expect(cookie[0]).toMatch(/; Path=\/v1\/oauth\/[a-z_]+\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
  keepCookies(browser, cookie);
  const provider = new URL(res.headers.location!);
  consentUrlOf.set(auth.state, provider);
  return { browser, provider };
}

/** What the user's browser does: open authorization_url, consent, come back with the provider's redirect. */
async function consent(auth: Authorization, app: Express = api.app): Promise<URL> {
  const { browser, provider } = await start(auth, new Map(), app);
  const res = await fetch(provider, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(auth.redirect_uri);
  expect(location.searchParams.get('state')).toBe(auth.state);
  expect(location.searchParams.get('code')).toBeTruthy();
  browserOf.set(location.toString(), browser);
  return location;
}

/** Our callback, as the browser reaches it (no API key; the cookies of the browser that came back). */
const callback = (url: URL | string, browser?: Browser, app: Express = api.app) => {
  const u = typeof url === 'string' ? new URL(url, 'http://x') : url;
  const b = browser ?? browserOf.get(u.toString());
  return request(app)
    .get(`${u.pathname}${u.search}`)
    .set(b?.size ? { cookie: cookieHeader(b) } : {});
};

const callbackWith = (service: string, params: Record<string, string>, browser?: Browser) =>
  callback(`/v1/oauth/${service}/callback?${new URLSearchParams(params).toString()}`, browser);

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
    expect(auth.authorization_url).toBe(
      `https://migrate.example.test/v1/oauth/${service}/start?state=${encodeURIComponent(auth.state)}`,
    );

    const back = await consent(auth);
    const url = consentUrlOf.get(auth.state)!;
    expect(url.toString().startsWith(emus.env[`${service.toUpperCase()}_AUTH_URL`]!)).toBe(true);
    const { code_challenge: challenge, ...rest } = Object.fromEntries(url.searchParams);
    expect(rest).toEqual({
      client_id: emus.env[`${service.toUpperCase()}_CLIENT_ID`],
      response_type: 'code',
      redirect_uri: auth.redirect_uri,
      state: auth.state,
      code_challenge_method: 'S256',
      ...PROVIDER_PARAMS[service],
    });
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
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
    expect(await api.store.connections.readSecrets(alice.id, auth.connection_id)).toMatch(
      /^v2\.[0-9a-f]{8}\./,
    );
    expect(await listPaths(alice, auth.connection_id)).toEqual({
      status: 200,
      paths: ['/Docs', '/photo.jpg'],
    });

    // The same redirect again (a reload, or someone replaying it): the state works once.
    expectError(
      await callback(back),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': was already used (a state works once)",
    );
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
    const browser = browserOf.get(back.toString())!;
    for (const state of [`${auth.state}x`, auth.state.slice(1), 'garbage', `${auth.state}.x`]) {
      const res = await callbackWith('google_drive', { code, state }, browser);
      const err = expectError(
        res,
        400,
        'invalid_parameter',
        "Invalid parameter 'state': is not a state this server issued",
      );
      expect(err.details).toContain('GET /v1/connections/oauth/google_drive/authorize');
    }
    expectError(
      await callbackWith('google_drive', { code }, browser),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': is required",
    );

    const expired = 'an-expired-state-of-this-server';
    await api.store.oauthStates.create({
      stateHash: hashSecret(expired),
      accountId: alice.id,
      service: 'google_drive',
      connectionId: 'conn_x',
      reauthorize: false,
      name: null,
      verifier: 'sealed',
      expiresAt: new Date(Date.now() - 1).toISOString(),
    });
    expectError(
      await callbackWith('google_drive', { code, state: expired }, browser),
      400,
      'invalid_parameter',
      /^Invalid parameter 'state': has expired/,
    );
    expectError(
      await callbackWith('dropbox', { code, state: auth.state }, browser),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': was issued for google_drive, not dropbox",
    );

    // None of that used the code or the state: the genuine redirect still completes.
    expect((await callback(back)).status).toBe(201);
  });

  it('a code the provider does not accept, naming code', async () => {
    const auth = await authorize(alice, 'onedrive');
    const { browser } = await start(auth);
    expectError(
      await callbackWith('onedrive', { state: auth.state }, browser),
      400,
      'invalid_parameter',
      "Invalid parameter 'code': is required",
    );
    const res = await callbackWith('onedrive', { code: 'code.bogus', state: auth.state }, browser);
    const err = expectError(
      res,
      400,
      'invalid_parameter',
      "Invalid parameter 'code': is expired or was already used",
    );
    expect(err.details).toMatch(/invalid_grant/);
    expect(JSON.stringify(res.body)).not.toContain('code.bogus');
    expect(await api.store.connections.get(alice.id, auth.connection_id)).toBeUndefined();
  });

  it('what the user declined at the provider (403) and what the provider failed (502)', async () => {
    const auth = await authorize(alice, 'dropbox');
    const declined = await callbackWith(
      'dropbox',
      {
        error: 'access_denied',
        error_description: 'The user chose not to give your app access',
        state: auth.state,
      },
      (await start(auth)).browser,
    );
    const err = expectError(declined, 403, 'permission_denied', 'Access was declined at Dropbox');
    expect(err.details).toContain('The user chose not to give your app access');
    const drive = await authorize(alice, 'google_drive');
    const failed = await callbackWith(
      'google_drive',
      { error: 'server_error', state: drive.state },
      (await start(drive)).browser,
    );
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
  expect(paths['/v1/connections/oauth/{service}/authorize']?.get.security).toEqual([
    { bearerAuth: ['write'] },
  ]);
});

it('never logs a refresh token, an authorization code, a state or a browser nonce', async () => {
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
  const back = await consent(auth, app);
  const code = back.searchParams.get('code')!;
  const nonces = [...browserOf.get(back.toString())!.values()];
  expect(nonces).toHaveLength(1);
  expect((await callback(back, undefined, app)).status).toBe(201);
  expect((await callback(back, undefined, app)).status).toBe(400);

  expect(logged).toContain('/v1/oauth/onedrive/start?state=[redacted]');
  expect(logged).toContain('/v1/oauth/onedrive/callback?code=[redacted]&state=[redacted]');
  for (const secret of [
    rt,
    'rt.bogus',
    code,
    alice.key,
    auth.state,
    encodeURIComponent(auth.state),
    ...nonces,
  ])
    expect(logged).not.toContain(secret);
});

describe('a state is bound to the browser that started it, and works once', () => {
  it('refuses the callback in a browser without the cookie (a stolen or leaked redirect)', async () => {
    const auth = await authorize(alice, 'google_drive', { name: 'Not for Mallory' });
    const back = await consent(auth);
    // Mallory has the redirect URL (a log, a referrer, a shared screen) but not Alice's cookie.
    for (const mallory of [new Map<string, string>(), new Map([['mc_oauth_0000000000000000', 'x']])]) {
      const err = expectError(
        await callback(back, mallory),
        400,
        'invalid_parameter',
        /^Invalid parameter 'state': was not started in this browser/,
      );
      expect(err.details).toContain('GET /v1/connections/oauth/google_drive/authorize');
    }
    // A cookie of another flow of the same browser does not fit this state either.
    const other = await start(await authorize(alice, 'google_drive'));
    expectError(
      await callback(back, other.browser),
      400,
      'invalid_parameter',
      /^Invalid parameter 'state': was not started in this browser/,
    );
    expect(await api.store.connections.get(alice.id, auth.connection_id)).toBeUndefined();
    // Alice's own browser still finishes it.
    expect((await callback(back)).status).toBe(201);
  });

  it('opens the start URL in one browser only', async () => {
    const auth = await authorize(alice, 'dropbox');
    await start(auth);
    const res = await request(api.app)
      .get(new URL(auth.authorization_url).pathname)
      .query({ state: auth.state });
    expectError(
      res,
      400,
      'invalid_parameter',
      "Invalid parameter 'state': was already opened in a browser; only that browser can finish it",
    );
    expect(res.headers['set-cookie']).toBeUndefined();
    expectError(
      await request(api.app).get('/v1/oauth/dropbox/start').query({ state: 'forged' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'state': is not a state this server issued",
    );
  });

  it.each(OAUTH_SERVICES)(
    'refuses a %s state replayed with a fresh code to authorize again',
    async (service) => {
      const rt = await grantRefreshToken(emus.byService[service]);
      const created = await request(api.app)
        .post('/v1/connections')
        .set(alice.auth)
        .send({ service, name: `Replay ${service}`, refresh_token: rt });
      const id = created.body.data.id as string;
      const auth = await authorize(alice, service, { connection_id: id });
      const back = await consent(auth);
      const browser = browserOf.get(back.toString())!;
      expect((await callback(back)).status).toBe(200);
      const sealed = await api.store.connections.readSecrets(alice.id, id);

      // The same state with a new code from the provider (another consent, e.g. with the attacker's
      // account at the provider): the connection must not get anyone else's tokens.
      const again = await fetch(consentUrlOf.get(auth.state)!, { redirect: 'manual' });
      const replay = new URL(again.headers.get('location')!);
      expect(replay.searchParams.get('code')).not.toBe(back.searchParams.get('code'));
      expectError(
        await callback(replay, browser),
        400,
        'invalid_parameter',
        "Invalid parameter 'state': was already used (a state works once)",
      );
      expect(await api.store.connections.readSecrets(alice.id, id)).toBe(sealed);
    },
  );

  it('clears the cookie once the callback used it', async () => {
    const auth = await authorize(alice, 'onedrive');
    const back = await consent(auth);
    const res = await callback(back);
    expect(res.status).toBe(201);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? [])).toEqual([
      expect.stringMatching(/^mc_oauth_[0-9a-f]{16}=; Path=\/v1\/oauth\/onedrive\/; Max-Age=0; HttpOnly/),
    ]);
  });
});

describe.each(OAUTH_SERVICES)('the %s emulator verifies PKCE as the provider does', (service) => {
  const env = (name: string) => emus.env[`${service.toUpperCase()}_${name}`]!;
  const verifier = 'v'.repeat(20) + createHash('sha256').update(service).digest('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = `https://migrate.example.test/v1/oauth/${service}/callback`;

  async function codeFor(pkce: Record<string, string>): Promise<string> {
    const url = new URL(env('AUTH_URL'));
    const params = {
      client_id: env('CLIENT_ID'),
      response_type: 'code',
      redirect_uri: redirect,
      state: 's',
      ...pkce,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  }
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    fetch(env('TOKEN_URL'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirect,
        client_id: env('CLIENT_ID'),
        client_secret: env('CLIENT_SECRET'),
        ...extra,
      }),
    });

  it('refuses a code issued with a challenge without the right verifier, and takes the right one', async () => {
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const missing = await exchange(await codeFor(pkce));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });
    const wrong = await exchange(await codeFor(pkce), { code_verifier: `${verifier.slice(1)}x` });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    const right = await exchange(await codeFor(pkce), { code_verifier: verifier });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ access_token: expect.any(String) });
    // A challenge that is not one is refused at the consent screen.
    const bad = new URL(env('AUTH_URL'));
    for (const [k, v] of Object.entries({
      client_id: env('CLIENT_ID'),
      response_type: 'code',
      redirect_uri: redirect,
      code_challenge: 'short',
      code_challenge_method: 'S256',
    }))
      bad.searchParams.set(k, v);
    expect((await fetch(bad, { redirect: 'manual' })).status).toBe(400);
  });
});
