// The web console in a real browser (Debian's chromium via playwright-core) under `npm start -- --demo`
// (the real supervisor, dev server, worker, API and emulators): sign in with the printed one-time link
// and with a password; generate an API key, copy it, use it with curl, revoke it and see curl refused;
// connect a demo cloud through its OAuth button; start a migration and watch its bar reach 100 %;
// download its report; sign out and see the old cookie refused. Each page is saved (to docs/console/ with RECORD_SCREENSHOTS=1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../helpers/browser';
import { ROOT, startDemoStack, type DemoStack } from '../clients/demo-stack';

// The docs' pictures are rewritten only when asked (RECORD_SCREENSHOTS=1), so a test run leaves the tree clean.
const SHOTS =
  process.env.RECORD_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs/console')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'mc-console-shots-'));
const PASSWORD = 'quiet-meadow-copper-19';
/** The report's columns, as docs/guides/reports.md lists them. */
const CSV_COLUMNS = [
  'path',
  'source_id',
  'destination_path',
  'note',
  'size',
  'status',
  'reason',
  'updated_at',
];
const suite = hasBrowser() ? describe : describe.skip;
if (!hasBrowser()) console.warn('browser tests skipped: no /usr/bin/chromium (apt-get install chromium)');

jest.setTimeout(600_000);

/** curl's HTTP status for GET `url` with extra headers. */
function curl(url: string, ...headers: string[]): string {
  const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...headers.flatMap((h) => ['-H', h]), url];
  return spawnSync('curl', args, { encoding: 'utf8' }).stdout;
}

suite('the web console in a real browser under npm start --demo', () => {
  let stack: DemoStack;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: string;
  let devKey: string;
  const problems: string[] = [];

  const shots = new Set<string>();
  const shot = (name: string) => {
    shots.add(name);
    return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
  };
  const call = async (url: string) => {
    const res = await fetch(`${api}${url}`, { headers: { authorization: `Bearer ${devKey}` } });
    return (await res.json()) as { data: Record<string, unknown> };
  };
  const go = async (nav: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: nav }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startDemoStack();
    ({ url: api, key: devKey, dataDir } = stack);
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      reducedMotion: 'reduce',
      permissions: ['clipboard-read', 'clipboard-write'],
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // A refused request (401 after sign-out) is logged by the browser itself; anything else is a problem.
      if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (stack) expect(await stack.stop()).toBe(0);
  });

  it('signs in with the one-time link npm start printed, choosing a password, then with the password', async () => {
    const link = /Sign in\s+(http:\/\/\S+\/console\/#\/link\/[0-9A-Za-z]{43})/.exec(stack.output())?.[1];
    expect(link).toBeDefined();
    expect(stack.output()).toContain(`Console      ${api}/console/`);
    const res = await page.goto(link!);
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByRole('heading', { name: 'Sign in with your link' }).waitFor();
    await page.getByLabel('New password').fill('password1234');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/is one of the most common passwords/)
      .waitFor();
    await page.getByLabel('New password').fill(PASSWORD);
    await shot('sign-in-link');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
    // The link worked once: opening it again is refused with the server's message.
    const again = await context.newPage();
    await again.goto(link!);
    await again.getByRole('button', { name: 'Sign in without a password' }).click();
    await again
      .getByRole('alert')
      .getByText(/is not a valid link/)
      .waitFor();
    await again.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('Email').fill('owner@localhost');
    await page.getByLabel('Password').fill('wrong-password-for-sure');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  });

  it('generates a named key shown once, copies it, uses it with curl, revokes it: curl is refused', async () => {
    await go('Settings › API Keys', 'API Keys');
    await page.getByRole('button', { name: 'Generate New API Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('curl from the test');
    await page.getByRole('radio', { name: /Write/ }).check();
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const field = page.getByRole('textbox', { name: 'New API key' });
    await field.waitFor();
    const key = await field.inputValue();
    expect(key).toMatch(/^mc_[0-9A-Za-z]{40}$/);
    await page.getByText('it will not be shown again').waitFor();
    await page.getByText('Keep it secret').waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
    await shot('api-keys');

    expect(curl(`${api}/v1/account`, `Authorization: Bearer ${key}`)).toBe('200');
    // Listed by prefix only; after hiding it, the key is nowhere on the page.
    await page.getByRole('button', { name: /hide it/ }).click();
    const row = page.locator('tr', { hasText: 'curl from the test' });
    await row.getByText(`${key.slice(0, 10)}…`).waitFor();
    expect(await page.content()).not.toContain(key);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.waitFor({ state: 'detached' });
    expect(curl(`${api}/v1/account`, `Authorization: Bearer ${key}`)).toBe('401');
  });

  it('generates a key with the keyboard alone: Tab to Generate New API Key, Enter', async () => {
    await go('Settings › API Keys', 'API Keys');
    const focused = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    // Polled with page.evaluate, not waitForFunction: the latter re-checks by eval inside the page, which
    // the console's CSP (no 'unsafe-eval') refuses whenever the first check comes too early.
    const focusUntil = async (check: string) => {
      const deadline = Date.now() + 5_000;
      while (!(await page.evaluate<boolean>(check))) {
        if (Date.now() > deadline) throw new Error(`focus never reached: ${check}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    for (let i = 0; i < 10 && (await focused()) !== 'Generate New API Key'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Generate New API Key');
    await page.keyboard.press('Enter');
    // The form takes the focus at its first field.
    await focusUntil("document.activeElement?.id === 'key-name'");
    await page.keyboard.type('typed, never clicked');
    await page.keyboard.press('Tab'); // the scope radios (Read)
    await page.keyboard.press('ArrowDown'); // Write
    await page.keyboard.press('Tab'); // Create API Key
    expect(await focused()).toBe('Create API Key');
    await page.keyboard.press('Enter');
    // The new key takes the focus, selected for copying.
    const field = page.getByRole('textbox', { name: 'New API key' });
    await field.waitFor();
    await focusUntil("document.activeElement?.getAttribute('aria-label') === 'New API key'");
    const keys = (await call('/v1/api-keys')).data.api_keys as Array<{ name: string; scope: string }>;
    expect(keys.find((k) => k.name === 'typed, never clicked')?.scope).toBe('write');
  });

  it('connects a demo cloud through its OAuth button (the emulator’s consent step)', async () => {
    await go('Connections', 'Connections');
    // Listened for on the whole context before the click: the popup's first hops may come before
    // its page object reaches the test.
    const hops: string[] = [];
    const hop = (r: Response) => hops.push(`${r.status()} ${new URL(r.url()).pathname}`);
    context.on('response', hop);
    const popup = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Connect Dropbox' }).click();
    const consent = await popup;
    await page.getByText('My Dropbox is connected.').waitFor({ timeout: 60_000 });
    expect(hops).toEqual(expect.arrayContaining(['302 /oauth2/authorize', '201 /v1/oauth/dropbox/callback']));
    expect(consent.isClosed()).toBe(true);
    context.off('response', hop);
    await page.locator('tr', { hasText: 'My Dropbox' }).getByText('active').waitFor();
    await shot('connections');
  });

  it('starts a migration from the console and watches its bar reach 100 %, then downloads the report', async () => {
    await go('Migrations', 'Migrations');
    await page.getByRole('link', { name: 'New migration' }).click();
    await page.getByRole('heading', { level: 1, name: 'New migration' }).waitFor();
    await page.locator('#source-connection').selectOption({ label: 'Demo Google Drive (Google Drive)' });
    await page.locator('#destination-connection').selectOption({ label: 'My Dropbox (Dropbox)' });
    await page.locator('#destination-path').fill('/From the console');
    await shot('new-migration');
    await page.getByRole('button', { name: 'Start migration' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Migration mig_/ });
    await heading.waitFor();
    const id = (await heading.innerText()).replace('Migration ', '');
    const bar = page.getByRole('progressbar', { name: 'Migration progress' });
    const seen = new Set<string>();
    for (const deadline = Date.now() + 240_000; ;) {
      const value = (await bar.getAttribute('aria-valuenow')) ?? '';
      seen.add(value);
      if (value === '100') break;
      if (Date.now() > deadline) throw new Error(`progress stuck at ${value}`);
      await page.waitForTimeout(250);
    }
    await page.locator('.route').getByText('completed').waitFor();
    console.log(`progress values seen: ${[...seen].join(', ')}`);
    await shot('migration-detail');

    const migration = (await call(`/v1/migrations/${id}`)).data as {
      status: string;
      progress: { files_copied: number; files_skipped: number; files_failed: number };
    };
    expect(migration.status).toBe('completed');
    const files =
      migration.progress.files_copied + migration.progress.files_skipped + migration.progress.files_failed;
    expect(files).toBeGreaterThan(100);

    await go('Migrations', 'Migrations');
    await page.locator(`tr[data-migration-id="${id}"]`).getByRole('progressbar').waitFor();
    expect(
      await page.locator(`tr[data-migration-id="${id}"] [role=progressbar]`).getAttribute('aria-valuenow'),
    ).toBe('100');
    await shot('migrations');
    await page.locator(`tr[data-migration-id="${id}"] a`).click();
    await heading.waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download report (CSV)' }).click();
    const file = await (await download).path();
    // The server's own CSV (docs/guides/reports.md): its header, then one row per file.
    const [header, ...rows] = parse(fs.readFileSync(file, 'utf8')) as string[][];
    expect(header).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(files);
    expect(new Set(rows.map((r) => r[0])).size).toBe(files);
    expect(rows.filter((r) => r[5] === 'copied')).toHaveLength(migration.progress.files_copied);

    // The same items as NDJSON: one JSON item a line.
    const ndjson = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download NDJSON' }).click();
    const items = fs
      .readFileSync(await (await ndjson).path(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; status: string });
    expect(items).toHaveLength(files);
    expect(items.map((i) => i.path).sort()).toEqual(rows.map((r) => r[0]).sort());

    // The summary report: counts by status, every file in "All".
    const byStatus = page.getByRole('table', { name: 'Items by status' });
    const cells = async (name: string | RegExp) =>
      (await byStatus.getByRole('row', { name }).getByRole('cell').allTextContents()).slice(0, 2);
    expect(await cells(/^copied/)).toEqual(['copied', String(migration.progress.files_copied)]);
    expect(await cells(/^All/)).toEqual([String(files), expect.stringMatching(/MB$/)]);
    await page.getByText('No file was failed or skipped.').waitFor();
    await page.getByRole('heading', { name: 'Report' }).evaluate((h) => h.scrollIntoView());
    await shot('migration-report');
  });

  it('shows syncs, webhooks and the account with its users', async () => {
    await go('Syncs', 'Syncs');
    await page.getByRole('button', { name: 'New sync' }).click();
    await shot('syncs');
    await go('Webhooks', 'Webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    await shot('webhooks');
    await go('Account', 'Account');
    await page.getByRole('cell', { name: 'owner@localhost' }).waitFor();
    await page.getByLabel('Email').fill('colleague@example.com');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const invite = await page.getByLabel('Invite link').inputValue();
    expect(invite).toMatch(/\/console\/#\/invite\/[0-9A-Za-z]{43}$/);
    await shot('account');
  });

  it('shows hostile file, connection, key and webhook strings as text, never as markup', async () => {
    const evil = (what: string) => `<img src=x onerror="window.__pwned='${what}'">`;
    const post = async (url: string, body: unknown) => {
      const res = await fetch(`${api}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${devKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect([201, 202]).toContain(res.status);
      return ((await res.json()) as { data: Record<string, string> }).data;
    };
    // A key name, a connection name, and files named like markup in the account's local folder; the second
    // cannot be copied (a folder of its name is in the way), so it is listed among the failures too.
    await post('/v1/api-keys', { name: evil('key') });
    const root = fs.realpathSync(path.join(dataDir, 'files'));
    fs.mkdirSync(path.join(root, 'hostile'), { recursive: true });
    fs.writeFileSync(path.join(root, 'hostile', `${evil('file')}.txt`), 'a file named like markup');
    fs.writeFileSync(path.join(root, 'hostile', `${evil('reason')}.txt`), 'in the way');
    fs.mkdirSync(path.join(root, 'copied', `${evil('reason')}.txt`), { recursive: true });
    const conn = await post('/v1/connections', {
      service: 'local',
      name: evil('connection'),
      config: { root },
    });
    const mig = await post('/v1/migrations', {
      source: { connection_id: conn.id, path: '/hostile' },
      destination: { connection_id: conn.id, path: '/copied' },
      options: { conflict: 'overwrite' },
    });
    const hook = await post('/v1/webhooks', {
      url: `https://127.0.0.1/${evil('webhook')}`,
      events: ['migration.completed'],
      description: evil('description'),
    });
    for (const deadline = Date.now() + 60_000; ; await page.waitForTimeout(250)) {
      const { status } = (await call(`/v1/migrations/${mig.id}`)).data as { status: string };
      if (!['queued', 'pending', 'running'].includes(status)) break;
      if (Date.now() > deadline) throw new Error(`the hostile migration is still ${status}`);
    }

    await go('Settings › API Keys', 'API Keys');
    await page.getByText(evil('key')).waitFor();
    await go('Connections', 'Connections');
    await page.getByText(evil('connection')).first().waitFor();
    await page.goto(`${api}/console/#/migrations/${mig.id}`);
    await page.getByRole('heading', { level: 1, name: `Migration ${mig.id}` }).waitFor();
    await page
      .getByText(`/${evil('file')}.txt`)
      .first()
      .waitFor();
    const failures = page.getByRole('table', { name: 'Largest failures' });
    await failures.getByText(`/${evil('reason')}.txt`).waitFor();
    const reason = (await call(`/v1/migrations/${mig.id}/report`)).data as {
      largest_failures: Array<{ reason: string }>;
    };
    expect(reason.largest_failures[0]?.reason).toMatch(/folder with this name/);
    await go('Webhooks', 'Webhooks');
    await page.getByText(hook.url!).first().waitFor();
    // A hand-made link with a broken escape and markup in the id: the page says not found, nothing breaks.
    await page.goto(`${api}/console/#/migrations/%E0%A4%A${encodeURIComponent(evil('id'))}`);
    await page.getByRole('heading', { level: 1, name: /^Migration %E0%A4%A/ }).waitFor();
    await page.getByRole('alert').first().waitFor();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('keeps working when the development account’s API key is revoked: sessions do not need keys', async () => {
    const keys = (await call('/v1/api-keys')).data.api_keys as Array<{ id: string; name: string }>;
    const dev = keys.find((k) => k.name === 'development')!;
    const res = await fetch(`${api}/v1/api-keys/${dev.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${devKey}` },
    });
    expect(res.status).toBe(200);
    expect(curl(`${api}/v1/account`, `Authorization: Bearer ${devKey}`)).toBe('401');
    await go('Migrations', 'Migrations');
    await page.locator('tr[data-migration-id]').first().waitFor();
    await go('Settings › API Keys', 'API Keys');
    await page.getByRole('button', { name: 'Generate New API Key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('made after the dev key was revoked');
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const key = await page.getByRole('textbox', { name: 'New API key' }).inputValue();
    devKey = key; // the test's own calls from here on
    expect(curl(`${api}/v1/account`, `Authorization: Bearer ${key}`)).toBe('200');
  });

  it('signs out: the old cookie is refused from then on', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'mc_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(curl(`${api}/v1/account`, `Cookie: mc_session=${cookie!.value}`)).toBe('200');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(curl(`${api}/v1/account`, `Cookie: mc_session=${cookie!.value}`)).toBe('401');
    expect(problems).toEqual([]);
  });

  it('signs out everywhere from Account: every browser of the user is signed out', async () => {
    const signInWith = async (p: Page) => {
      await p.goto(`${api}/console/`);
      await p.getByLabel('Email').fill('owner@localhost');
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
    };
    const other = await browser.newContext();
    await signInWith(await other.newPage());
    await signInWith(page);
    const cookies = [
      ...(await context.cookies()).filter((c) => c.name === 'mc_session'),
      ...(await other.cookies()).filter((c) => c.name === 'mc_session'),
    ].map((c) => c.value);
    expect(new Set(cookies).size).toBe(2);
    for (const c of cookies) expect(curl(`${api}/v1/account`, `Cookie: mc_session=${c}`)).toBe('200');
    await go('Account', 'Account');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    for (const c of cookies) expect(curl(`${api}/v1/account`, `Cookie: mc_session=${c}`)).toBe('401');
    await other.close();
    expect(problems).toEqual([]);
  });

  it('shows every screenshot it took in the console guide', () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs/guides/console.md'), 'utf8');
    expect(shots.size).toBeGreaterThanOrEqual(10);
    for (const name of shots) {
      expect(guide).toContain(`](../console/${name}.png)`);
      expect(fs.existsSync(path.join(ROOT, 'docs/console', `${name}.png`))).toBe(true);
    }
  });
});
