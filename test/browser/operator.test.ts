// What an operator and a user see in a real browser under `npm start -- --demo` (the real supervisor, dev
// server, worker, API and emulators): the Temporal Web UI shows a migration's input decoded through the
// API's codec endpoint while `temporal workflow show` (no codec) prints ciphertext; the OAuth flow runs
// start → provider consent → callback in one browser, bound to it by its cookie (another browser is
// refused); and /docs works under the API's Content-Security-Policy.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { hasBrowser, launchBrowser } from '../helpers/browser';
import { startDemoStack, type DemoStack } from '../clients/demo-stack';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'Acme-merger-plan';
const suite = hasBrowser() ? describe : describe.skip;
if (!hasBrowser()) console.warn('browser tests skipped: no /usr/bin/chromium (apt-get install chromium)');

jest.setTimeout(300_000);

suite('in a real browser under npm start --demo', () => {
  let stack: DemoStack;
  let browser: Browser;
  let api: string;
  let ui: string;
  let temporalAddress: string;
  let key: string;

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${api}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data: Record<string, unknown> } };
  };

  beforeAll(async () => {
    stack = await startDemoStack();
    ({ url: api, key, uiUrl: ui, temporalAddress } = stack);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (stack) expect(await stack.stop()).toBe(0);
  });

  it('shows decoded workflow input in the Web UI; the CLI without the codec sees ciphertext', async () => {
    const { data } = (await call('GET', '/v1/connections')).body;
    const [drive, , dropbox] = data.connections as Array<{ id: string }>;
    const started = await call('POST', '/v1/migrations', {
      source: { connection_id: drive!.id, path: '/Videos' },
      destination: { connection_id: dropbox!.id, path: `/${SECRET}` },
    });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    let status = '';
    for (const deadline = Date.now() + 120_000; !/completed|failed/.test(status);) {
      if (Date.now() > deadline) throw new Error(`migration still ${status}`);
      await new Promise((r) => setTimeout(r, 500));
      status = (await call('GET', `/v1/migrations/${id}`)).body.data.status as string;
    }
    expect(status).toBe('completed');

    const shown = execFileSync(
      temporalCliPath(ROOT),
      ['workflow', 'show', '--workflow-id', `migration-${id}`, '--address', temporalAddress, '-o', 'json'],
      { encoding: 'utf8' },
    );
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain(Buffer.from('binary/encrypted').toString('base64'));

    const page = await browser.newPage();
    const decodes: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/codec/decode')) decodes.push(r.url());
    });
    await page.goto(`${ui}/namespaces/default/workflows/migration-${id}`);
    await page.getByText(`"/${SECRET}"`).first().waitFor({ timeout: 60_000 });
    expect(decodes.length).toBeGreaterThan(0);
    expect(await page.getByText('Completed').first().isVisible()).toBe(true);
    await page.close();
  });

  it('runs OAuth start → consent → callback in the browser that started it, once', async () => {
    const authorize = await call('GET', '/v1/connections/oauth/dropbox/authorize?name=From%20the%20browser');
    expect(authorize.status).toBe(200);
    const url = authorize.body.data.authorization_url as string;

    const context = await browser.newContext();
    const page = await context.newPage();
    const hops: string[] = [];
    page.on('response', (r) => hops.push(`${r.status()} ${new URL(r.url()).pathname}`));
    const landed = await page.goto(url);
    expect(hops).toEqual([
      '302 /v1/oauth/dropbox/start',
      '302 /oauth2/authorize',
      '201 /v1/oauth/dropbox/callback',
    ]);
    expect(landed!.status()).toBe(201);
    const created = JSON.parse(await page.locator('body').innerText()) as {
      data: { id: string; name: string; status: string };
    };
    expect(created.data).toMatchObject({ name: 'From the browser', status: 'active' });
    // The browser-binding cookie is gone once the flow is done.
    expect(await context.cookies()).toEqual([]);
    const listed = await call('GET', `/v1/connections/${created.data.id}`);
    expect(listed.body.data).toMatchObject({ service: 'dropbox', status: 'active' });

    // The same start URL in another browser (a leaked link) is refused, naming the state.
    const other = await (await browser.newContext()).newPage();
    const refused = await other.goto(url);
    expect(refused!.status()).toBe(400);
    const error = JSON.parse(await other.locator('body').innerText()) as {
      error: { code: string; message: string };
    };
    expect(error.error.code).toBe('invalid_parameter');
    expect(error.error.message).toMatch(/'state'/);
    await context.close();
  });

  it('serves /docs working under its Content-Security-Policy', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const res = await page.goto(`${api}/docs`);
    expect(res!.headers()['content-security-policy']).toMatch(/default-src/);
    await page.getByText('/v1/account').first().waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
    // Nothing is kept in the browser's storage (API keys stay in the page's memory).
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.close();
  });
});
