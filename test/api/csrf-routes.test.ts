// The console seen by an attacker, over real HTTP on the real app: every unsafe /v1 route of the OpenAPI
// document refuses a cookie without the CSRF token and a foreign Origin (403), the console's pages refuse
// framing and inline script, and no URL of the console or `/` redirects to another site.
import { hashPassword } from '../../common/password-hash';
import { publicBase } from '../../api/connections/oauth/providers';
import { closeTemporal, createTestApi, expectError, request, type TestApi } from './helpers';

jest.setTimeout(120_000);

const PASSWORD = 'amber-falcon-river-77';
const UNSAFE = ['post', 'put', 'patch', 'delete'];

interface Operation {
  security?: unknown[];
}

describe('CSRF on every unsafe route, framing, script policy and redirects', () => {
  let api: TestApi;
  let origin: string;

  beforeAll(async () => {
    api = await createTestApi();
    origin = new URL(publicBase(api.config)).origin;
  });
  afterAll(async () => {
    await api.close();
    await closeTemporal();
  });

  /** Every unsafe operation of the served OpenAPI document, its path parameters filled in. */
  async function unsafeRoutes() {
    const doc = (await request(api.app).get('/v1/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([method]) => UNSAFE.includes(method))
        .map(([method, op]) => ({
          method: method as 'post' | 'put' | 'patch' | 'delete',
          path: p.replace(/\{[^}]+\}/g, 'x1'),
          isPublic: Array.isArray(op.security) && op.security.length === 0,
        })),
    );
  }

  it('refuses a session cookie without X-CSRF-Token on every unsafe route, and a foreign Origin on all', async () => {
    const account = await api.account();
    await api.store.users.create({
      accountId: account.id,
      email: 'csrf-owner@example.com',
      role: 'owner',
      passwordHash: await hashPassword(PASSWORD),
    });
    const agent = request.agent(api.app);
    const signedIn = await agent
      .post('/v1/session')
      .set('Origin', origin)
      .send({ email: 'csrf-owner@example.com', password: PASSWORD });
    expect(signedIn.status).toBe(200);
    const csrf = signedIn.body.data.csrf_token as string;
    const body = { name: 'forged', email: 'forged@example.com', password: PASSWORD };

    const routes = await unsafeRoutes();
    const keyed = routes.filter((r) => !r.isPublic);
    // The document has the resources' changes (keys, connections, migrations, syncs, webhooks, invites, sign-out).
    expect(keyed.length).toBeGreaterThanOrEqual(20);
    for (const path of ['/v1/api-keys', '/v1/migrations', '/v1/invites', '/v1/session', '/v1/sessions'])
      expect(keyed.map((r) => r.path)).toContain(path);

    const refused: string[] = [];
    for (const r of keyed) {
      // A same-site page that does not know the token (the cookie alone).
      const noToken = await agent[r.method](r.path).set('Origin', origin).send(body);
      expectError(noToken, 403, 'permission_denied', 'Missing X-CSRF-Token header');
      // Another site's page, even holding the token.
      const foreign = await agent[r.method](r.path)
        .set('Origin', 'https://evil.example')
        .set('X-CSRF-Token', csrf)
        .send(body);
      expectError(foreign, 403, 'permission_denied', /Origin https:\/\/evil\.example/);
      refused.push(`${r.method.toUpperCase()} ${r.path}`);
    }
    // The public ways in (sign-in, links, invites) refuse another site's Origin too (login CSRF).
    for (const r of routes.filter((x) => x.isPublic)) {
      const foreign = await agent[r.method](r.path).set('Origin', 'https://evil.example').send(body);
      expectError(foreign, 403, 'permission_denied', /Origin/);
      refused.push(`${r.method.toUpperCase()} ${r.path}`);
    }
    console.log(`${refused.length} unsafe routes refused without a CSRF token or from another Origin`);

    // Nothing was changed: one key (the test's), no invite, and the session is still live.
    expect(await api.store.apiKeys.list(account.id)).toHaveLength(1);
    expect((await agent.get('/v1/session')).status).toBe(200);
    expect((await agent.get('/v1/migrations')).body.data.migrations).toEqual([]);
  });

  it('serves the console unframeable, with scripts from this server only', async () => {
    for (const url of ['/console/', '/console/index.html', '/console/missing.js']) {
      const res = await request(api.app).get(url);
      expect(res.headers['x-frame-options']).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      const scripts = /script-src ([^;]*)/.exec(csp)?.[1];
      expect(scripts).toBe("'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      if (res.status === 200 && url !== '/console/missing.js') {
        // The built page: only external module scripts, nothing inline for the policy to refuse.
        const tags = res.text.match(/<script\b[^>]*>[^<]*<\/script>/g) ?? [];
        expect(tags.length).toBeGreaterThan(0);
        for (const tag of tags)
          expect(tag).toMatch(/^<script type="module" crossorigin src="\.?\/[^"]+"><\/script>$/);
      }
    }
  });

  it('never redirects to another site', async () => {
    const tries = [
      '/',
      '/console',
      '//evil.example/',
      '//evil.example/%2e%2e',
      '/console//evil.example',
      '/console/assets',
      '/console/assets//evil.example/',
      '/console/%2F%2Fevil.example',
      '/%5Cevil.example',
      '/console/\\evil.example',
    ];
    const seen: string[] = [];
    for (const url of tries) {
      const res = await request(api.app).get(url);
      const location = res.headers.location as string | undefined;
      seen.push(`${url} → ${res.status}${location ? ` ${location}` : ''}`);
      if (!location) continue;
      // Only paths of this server: one leading slash, no scheme, no host.
      expect(location).toMatch(/^\/(?![/\\])/);
      expect(new URL(location, origin).origin).toBe(origin);
    }
    expect(seen).toContain('/ → 302 /console/');
    expect(seen).toContain('/console → 301 /console/');
  });
});
