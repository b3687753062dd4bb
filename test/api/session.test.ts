// Console sessions over real HTTP (supertest on the real app, SQLite, the dev server's Temporal): sign-in
// with the cookie's attributes, CSRF (token and Origin) on every change, sign-out and expiry refused,
// wrong passwords refused and slowed, password rules, one-time links and invites, and accounts sealed off.
import { hashPassword } from '../../common/password-hash';
import { publicBase } from '../../api/connections/oauth/providers';
import { closeTemporal, createTestApi, expectError, request, type TestApi } from './helpers';

jest.setTimeout(120_000);

const PASSWORD = 'violet-harbour-lantern-42';

describe('console sessions', () => {
  let api: TestApi;
  let now = Date.now();
  let origin: string;

  beforeAll(async () => {
    api = await createTestApi({ clock: () => new Date(now) });
    origin = new URL(publicBase(api.config)).origin;
  });
  afterAll(async () => {
    await api.close();
    await closeTemporal();
  });
  beforeEach(() => (now = Date.now()));

  /** An account with an owner who has a password, and the account's admin key. */
  async function owner(email = `owner-${Math.random().toString(36).slice(2)}@example.com`) {
    const account = await api.account('pro', `Account of ${email}`);
    const user = await api.store.users.create({
      accountId: account.id,
      email,
      role: 'owner',
      passwordHash: await hashPassword(PASSWORD),
    });
    return { account, user: user!, email };
  }

  /** Signs in with a fresh agent (its own cookie jar); answers the agent and the CSRF token. */
  async function signIn(email: string, password = PASSWORD) {
    const agent = request.agent(api.app);
    const res = await agent.post('/v1/session').set('Origin', origin).send({ email, password });
    expect(res.status).toBe(200);
    return { agent, csrf: res.body.data.csrf_token as string, res };
  }

  it('signs in with email and password: an HttpOnly, SameSite=Strict cookie for the whole site', async () => {
    const { account, email } = await owner();
    const { agent, res } = await signIn(email.toUpperCase());
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^mc_session=[0-9A-Za-z]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // http://localhost: a browser would drop a Secure cookie
    expect(res.body.data).toMatchObject({
      user: { email, role: 'owner' },
      account: { id: account.id },
      scope: 'admin',
    });

    const me = await agent.get('/v1/session');
    expect(me.status).toBe(200);
    expect(me.body.data.csrf_token).toBe(res.body.data.csrf_token);
    const acc = await agent.get('/v1/account');
    expect(acc.status).toBe(200);
    expect(acc.body.data.id).toBe(account.id);
    // The session stands for the account like a key: the same rate-limit headers.
    expect(acc.headers['x-ratelimit-limit']).toBe('1000');
  });

  it('refuses changes made with the cookie without the CSRF token or from another Origin (403)', async () => {
    const { account, email } = await owner();
    const { agent, csrf } = await signIn(email);
    const body = { name: 'from the console', scope: 'read' };
    const post = () => agent.post('/v1/api-keys').send(body);

    expectError(await post().set('Origin', origin), 403, 'permission_denied', 'Missing X-CSRF-Token header');
    expectError(
      await post().set('Origin', origin).set('X-CSRF-Token', 'x'.repeat(43)),
      403,
      'permission_denied',
      'Invalid X-CSRF-Token header',
    );
    expectError(
      await post().set('Origin', 'https://evil.example').set('X-CSRF-Token', csrf),
      403,
      'permission_denied',
      /Origin https:\/\/evil\.example/,
    );
    expectError(await post().set('X-CSRF-Token', csrf), 403, 'permission_denied', /no Origin/);
    expectError(await agent.delete('/v1/session').set('Origin', origin), 403, 'permission_denied');
    // Nothing was created by the refused requests.
    expect(await api.store.apiKeys.list(account.id)).toHaveLength(1);

    const ok = await post().set('Origin', origin).set('X-CSRF-Token', csrf);
    expect(ok.status).toBe(201);
    expect(ok.body.data.key).toMatch(/^mc_/);
    // An API key's requests are not a browser's: no CSRF token needed.
    const keyed = await request(api.app)
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${account.key}`)
      .send(body);
    expect(keyed.status).toBe(201);
    // A sign-in posted by another site's page (login CSRF) is refused too.
    const foreign = await request(api.app)
      .post('/v1/session')
      .set('Origin', 'https://evil.example')
      .send({ email, password: PASSWORD });
    expectError(foreign, 403, 'permission_denied');
  });

  it('refuses a wrong password with the same answer as an unknown email, slower each time', async () => {
    const { email } = await owner();
    const attempt = async (e: string, password: string) => {
      const started = Date.now();
      const res = await request(api.app).post('/v1/session').send({ email: e, password });
      return { res, ms: Date.now() - started };
    };
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { res, ms } = await attempt(email, 'not-the-password-at-all');
      expectError(res, 401, 'authentication_error', 'Wrong email or password');
      expect(res.headers['set-cookie']).toBeUndefined();
      times.push(ms);
    }
    // 0, 250, 500, 1000 ms of backoff on top of one scrypt check each: lower bounds only, since scrypt's
    // own time swings with the machine's load.
    expect(times[1]!).toBeGreaterThanOrEqual(250);
    expect(times[2]!).toBeGreaterThanOrEqual(500);
    expect(times[3]!).toBeGreaterThanOrEqual(1000);
    console.log(`wrong-password answers took ${times.join(', ')} ms`);

    const unknown = await attempt('nobody@example.com', 'not-the-password-at-all');
    const known = expectError(unknown.res, 401, 'authentication_error', 'Wrong email or password');
    expect(known.details).toMatch(/wrong attempt/);
    // The right password is not slowed for good: it waits out the backoff once, then the count resets.
    const right = await attempt(email, PASSWORD);
    expect(right.res.status).toBe(200);
    expect(right.ms).toBeGreaterThanOrEqual(2000);
    const again = await attempt(email, PASSWORD);
    expect(again.res.status).toBe(200);
    expect(again.ms).toBeLessThan(2000);
  });

  it('refuses the old cookie after sign-out, idle expiry and absolute expiry (401)', async () => {
    const { email } = await owner();
    const signedOut = await signIn(email);
    const out = await signedOut.agent
      .delete('/v1/session')
      .set('Origin', origin)
      .set('X-CSRF-Token', signedOut.csrf);
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/mc_session=;/);
    // The cookie the browser had is refused even when sent again by hand.
    const cookie = String(signedOut.res.headers['set-cookie']).split(';')[0]!;
    expectError(
      await request(api.app).get('/v1/account').set('Cookie', cookie),
      401,
      'authentication_error',
      /session has ended/,
    );

    const idle = await signIn(email);
    now += (api.config.MIGRATECLOUDS_SESSION_IDLE_MINUTES - 1) * 60_000;
    expect((await idle.agent.get('/v1/account')).status).toBe(200); // used: the idle clock restarts
    now += (api.config.MIGRATECLOUDS_SESSION_IDLE_MINUTES - 1) * 60_000;
    expect((await idle.agent.get('/v1/account')).status).toBe(200);
    now += api.config.MIGRATECLOUDS_SESSION_IDLE_MINUTES * 60_000 + 1;
    expectError(await idle.agent.get('/v1/account'), 401, 'authentication_error');

    now = Date.now();
    const absolute = await signIn(email);
    const step = (api.config.MIGRATECLOUDS_SESSION_IDLE_MINUTES / 2) * 60_000;
    const end = now + api.config.MIGRATECLOUDS_SESSION_MAX_HOURS * 3_600_000;
    while (now + step < end) {
      now += step;
      expect((await absolute.agent.get('/v1/session')).status).toBe(200);
    }
    now = end + 1;
    expectError(await absolute.agent.get('/v1/session'), 401, 'authentication_error');
  });

  it('signs in with a one-time link that can set a password under the rules, once', async () => {
    const { account } = await owner();
    const user = (await api.store.users.create({
      accountId: account.id,
      email: 'Link.User@Example.com',
      role: 'member',
    }))!;
    expect(user.email).toBe('link.user@example.com');
    const { token } = await api.store.loginTokens.create({
      accountId: account.id,
      purpose: 'login',
      userId: user.id,
      now: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
    });
    const use = (password?: string) =>
      request(api.app)
        .post(`/v1/session/login-links/${token}`)
        .send(password === undefined ? {} : { password });

    expectError(await use('short'), 400, 'invalid_parameter', /'password': must be at least 12 characters/);
    expectError(await use('x'.repeat(1025)), 400, 'invalid_parameter', /'password'/);
    expectError(
      await use('LINK.USER@example.com'),
      400,
      'invalid_parameter',
      /'password': must not be your email/,
    );
    expectError(await use('Password1234'), 400, 'invalid_parameter', /'password': is one of the most common/);
    expectError(await use('aaaaaaaaaaaaaaaa'), 400, 'invalid_parameter', /'password'/);
    // Refused passwords left the link usable.
    const ok = await use(PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({
      user: { email: 'link.user@example.com', role: 'member', has_password: true },
      scope: 'write',
    });
    expectError(await use(), 400, 'invalid_parameter', /'token': is not a valid link/);
    // The chosen password works.
    await signIn('link.user@example.com');
    expectError(
      await request(api.app).post('/v1/session/login-links/nonsense').send({}),
      400,
      'invalid_parameter',
      /'token'/,
    );
  });

  it('lets owners invite by a one-time link; members may not manage keys or invite', async () => {
    const { account, email } = await owner();
    const { agent, csrf } = await signIn(email);
    const invite = await agent
      .post('/v1/invites')
      .set('Origin', origin)
      .set('X-CSRF-Token', csrf)
      .send({ email: 'New.Member@example.com' });
    expect(invite.status).toBe(201);
    expect(invite.body.data).toMatchObject({ email: 'new.member@example.com', role: 'member' });
    const url = invite.body.data.invite_url as string;
    expect(url).toMatch(/\/console\/#\/invite\/[0-9A-Za-z]{43}$/);
    const token = url.split('/').pop()!;

    const info = await request(api.app).get(`/v1/invites/${token}`);
    expect(info.body.data).toMatchObject({
      email: 'new.member@example.com',
      account_name: `Account of ${email}`,
    });
    expectError(
      await request(api.app).post(`/v1/invites/${token}/accept`).send({ password: 'new.member@example.com' }),
      400,
      'invalid_parameter',
      /'password'/,
    );
    const member = request.agent(api.app);
    const accepted = await member.post(`/v1/invites/${token}/accept`).send({ password: PASSWORD });
    expect(accepted.status).toBe(201);
    expect(accepted.body.data).toMatchObject({ user: { role: 'member' }, account: { id: account.id } });
    expectError(
      await request(api.app).post(`/v1/invites/${token}/accept`).send({ password: PASSWORD }),
      400,
      'invalid_parameter',
      /'token'/,
    );

    const memberCsrf = accepted.body.data.csrf_token as string;
    const denied = await member
      .post('/v1/api-keys')
      .set('Origin', origin)
      .set('X-CSRF-Token', memberCsrf)
      .send({ name: 'nope' });
    expectError(denied, 403, 'permission_denied', /role 'member'/);
    expectError(
      await member
        .post('/v1/invites')
        .set('Origin', origin)
        .set('X-CSRF-Token', memberCsrf)
        .send({ email: 'x@example.com' }),
      403,
      'permission_denied',
    );
    const users = await member.get('/v1/users');
    expect(users.body.data.users.map((u: { email: string }) => u.email)).toEqual([
      email,
      'new.member@example.com',
    ]);
    // An email has one user: inviting it again (in another case) is a conflict.
    const twice = await agent
      .post('/v1/invites')
      .set('Origin', origin)
      .set('X-CSRF-Token', csrf)
      .send({ email: 'NEW.member@example.com' });
    expectError(twice, 409, 'conflict');
  });

  it('keeps accounts apart: a session of account A sees none of B’s resources', async () => {
    const a = await owner();
    const b = await owner();
    const created = await request(api.app)
      .post('/v1/connections')
      .set('Authorization', `Bearer ${b.account.key}`)
      .send({ service: 'local', name: 'B files', config: { root: api.root } });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const { agent } = await signIn(a.email);
    expectError(await agent.get(`/v1/connections/${id}`), 404, 'resource_not_found');
    expect((await agent.get('/v1/connections')).body.data.connections).toEqual([]);
    expect((await agent.get('/v1/users')).body.data.users.map((u: { email: string }) => u.email)).toEqual([
      a.email,
    ]);
    // GET /v1/session is about sessions: an API key has none.
    expectError(
      await request(api.app).get('/v1/session').set('Authorization', `Bearer ${a.account.key}`),
      403,
      'permission_denied',
    );
  });
});
