// Console sessions against an attacker, over real HTTP on the real app: a planted cookie is never promoted
// by a sign-in (fixation), sign-out everywhere ends every browser of the user and nobody else's, the
// cookie is Secure behind a TLS proxy only when TRUST_PROXY says to believe it, and the one-time link
// `npm start` prints works once and expires.
import { issueLoginLink } from '../../api/session/login-link';
import { publicBase } from '../../api/connections/oauth/providers';
import { hashPassword } from '../../common/password-hash';
import { closeTemporal, createTestApi, expectError, request, type TestApi } from './helpers';

jest.setTimeout(120_000);

const PASSWORD = 'copper-lantern-meadow-58';
const cookieOf = (res: request.Response) => String(res.headers['set-cookie'] ?? '');
const tokenOf = (res: request.Response) => /^mc_session=([0-9A-Za-z]{43})/.exec(cookieOf(res))?.[1];

describe('console sessions against an attacker', () => {
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

  async function user(email = `u-${Math.random().toString(36).slice(2)}@example.com`) {
    const account = await api.account();
    const created = await api.store.users.create({
      accountId: account.id,
      email,
      role: 'owner',
      passwordHash: await hashPassword(PASSWORD),
    });
    return { account, user: created!, email };
  }
  const signIn = (email: string, cookie?: string) => {
    const req = request(api.app).post('/v1/session').set('Origin', origin);
    if (cookie) req.set('Cookie', `mc_session=${cookie}`);
    return req.send({ email, password: PASSWORD });
  };
  const me = (token: string) => request(api.app).get('/v1/session').set('Cookie', `mc_session=${token}`);

  it('gives a new session id on sign-in and ends the one the browser had (session fixation)', async () => {
    const victim = await user();
    const attacker = await user();
    // The attacker signs in and plants their own cookie in the victim's browser; the victim signs in.
    const planted = tokenOf(await signIn(attacker.email))!;
    const res = await signIn(victim.email, planted);
    expect(res.status).toBe(200);
    const fresh = tokenOf(res)!;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(planted);
    expect((await me(fresh)).body.data.user.email).toBe(victim.email);
    // The planted session is over: the attacker cannot ride on it, nor on the victim's.
    expectError(await me(planted), 401, 'authentication_error', /session has ended/);

    // A made-up cookie is not adopted either: the server always chooses the token.
    const invented = 'A'.repeat(43);
    const again = await signIn(victim.email, invented);
    expect(tokenOf(again)).not.toBe(invented);
    expectError(await me(invented), 401, 'authentication_error');
  });

  it('signs out everywhere: every session of the user ends, other users and API keys keep working', async () => {
    const a = await user();
    const b = await user();
    const [one, two] = [tokenOf(await signIn(a.email))!, tokenOf(await signIn(a.email))!];
    const other = tokenOf(await signIn(b.email))!;
    const csrf = (await me(one)).body.data.csrf_token as string;

    expectError(
      await request(api.app).delete('/v1/sessions').set('Cookie', `mc_session=${one}`).set('Origin', origin),
      403,
      'permission_denied',
      'Missing X-CSRF-Token header',
    );
    const out = await request(api.app)
      .delete('/v1/sessions')
      .set('Cookie', `mc_session=${one}`)
      .set('Origin', origin)
      .set('X-CSRF-Token', csrf);
    expect(out.status).toBe(200);
    expect(out.body.data).toEqual({ signed_out: true, sessions_ended: 2 });
    expect(cookieOf(out)).toMatch(/mc_session=;/);
    for (const t of [one, two]) expectError(await me(t), 401, 'authentication_error');
    expect((await me(other)).status).toBe(200);
    expect((await request(api.app).get('/v1/account').set(a.account.auth)).status).toBe(200);
    // An API key has no session to end.
    expectError(await request(api.app).delete('/v1/sessions').set(a.account.auth), 403, 'permission_denied');
  });

  it('ends older sessions when a one-time link sets a new password', async () => {
    const a = await user();
    const old = tokenOf(await signIn(a.email))!;
    const { url } = await issueLoginLink(api.store, api.config, a.user, new Date(now));
    const token = url.split('/').pop()!;
    const res = await request(api.app)
      .post(`/v1/session/login-links/${token}`)
      .send({ password: 'a-brand-new-passphrase-9' });
    expect(res.status).toBe(200);
    expectError(await me(old), 401, 'authentication_error');
    expect((await me(tokenOf(res)!)).status).toBe(200);
  });

  it('the link npm start prints works exactly once, and not after a day', async () => {
    const a = await user();
    const link = await issueLoginLink(api.store, api.config, a.user, new Date(now));
    expect(link.url).toMatch(new RegExp(`^${origin}/console/#/link/[0-9A-Za-z]{43}$`));
    const use = (url: string) =>
      request(api.app)
        .post(`/v1/session/login-links/${url.split('/').pop()}`)
        .send({});
    // Two browsers race with one link: exactly one wins.
    const raced = await Promise.all([use(link.url), use(link.url)]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 400]);
    expectError(await use(link.url), 400, 'invalid_parameter', /'token': is not a valid link/);

    const later = await issueLoginLink(api.store, api.config, a.user, new Date(now));
    now += 24 * 3_600_000 + 1_000;
    expectError(await use(later.url), 400, 'invalid_parameter', /'token': is not a valid link/);
  });
});

describe('the session cookie behind a TLS-terminating proxy', () => {
  afterAll(closeTemporal);

  async function signInThrough(env: Record<string, string>, headers: Record<string, string>) {
    const api = await createTestApi({ env });
    try {
      const account = await api.account();
      await api.store.users.create({
        accountId: account.id,
        email: 'proxy@example.com',
        role: 'owner',
        passwordHash: await hashPassword(PASSWORD),
      });
      const res = await request(api.app)
        .post('/v1/session')
        .set(headers)
        .send({ email: 'proxy@example.com', password: PASSWORD });
      return res;
    } finally {
      await api.close();
    }
  }

  it('is Secure when a trusted proxy says https, and ignores X-Forwarded-Proto otherwise', async () => {
    const https = {
      'X-Forwarded-Proto': 'https',
      Host: 'console.example',
      Origin: 'https://console.example',
    };
    // Not configured: the header is anyone's to send, so it is not believed (and the Origin does not match).
    const untrusted = await signInThrough({}, { 'X-Forwarded-Proto': 'https' });
    expect(untrusted.status).toBe(200);
    expect(cookieOf(untrusted)).not.toMatch(/Secure/);
    expectError(
      await signInThrough({}, https),
      403,
      'permission_denied',
      /Origin https:\/\/console\.example/,
    );

    const trusted = await signInThrough({ TRUST_PROXY: '1' }, https);
    expect(trusted.status).toBe(200);
    // Over https the name carries the __Host- prefix: only this host may set it (no subdomain tossing).
    expect(cookieOf(trusted)).toMatch(/^__Host-mc_session=[0-9A-Za-z]{43};/);
    expect(cookieOf(trusted)).not.toMatch(/Domain=/i);
    expect(cookieOf(trusted)).toMatch(/; Secure/);
    expect(cookieOf(trusted)).toMatch(/HttpOnly/);
    expect(cookieOf(trusted)).toMatch(/SameSite=Strict/);
    // The same trusted proxy over plain http: not Secure (the browser would drop it).
    const plain = await signInThrough({ TRUST_PROXY: '1' }, { 'X-Forwarded-Proto': 'http' });
    expect(cookieOf(plain)).not.toMatch(/Secure/);
    // An https PUBLIC_URL makes it Secure whatever the proxy says.
    const pub = await signInThrough({ PUBLIC_URL: 'https://console.example' }, {});
    expect(cookieOf(pub)).toMatch(/^__Host-mc_session=.*; Secure/);
  });

  it('over https, takes the session from the __Host- cookie only (a tossed plain cookie is ignored)', async () => {
    const api = await createTestApi({ env: { PUBLIC_URL: 'https://console.example' } });
    try {
      const account = await api.account();
      const user = await api.store.users.create({
        accountId: account.id,
        email: 'host@example.com',
        role: 'owner',
      });
      const { token } = await api.store.sessions.create({
        accountId: account.id,
        userId: user!.id,
        now: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const ok = await request(api.app).get('/v1/session').set('Cookie', `__Host-mc_session=${token}`);
      expect(ok.status).toBe(200);
      expectError(
        await request(api.app).get('/v1/session').set('Cookie', `mc_session=${token}`),
        401,
        'authentication_error',
        'Missing API key',
      );
    } finally {
      await api.close();
    }
  });
});
