// The user CLI `migrateclouds`, spawned as npm installed it (node_modules/.bin, the package's launcher) with its own HOME,
// against a real `npm start -- --demo` stack: login, ls, cp with --json, items as CSV, exit codes, and the
// live progress bar under a pseudo-terminal.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { MigrateClouds } from '../../clients/typescript/src';
import { renderTerminal } from '../helpers/terminal-picture';
import { ROOT, startDemoStack, type DemoStack } from './demo-stack';

jest.setTimeout(300_000);
// The command as `npm ci` links it: fails here if the workspace's bin is not linked on a fresh clone.
const BIN = path.join(ROOT, 'node_modules/.bin/migrateclouds');

let stack: DemoStack;
let home: string;

beforeAll(async () => {
  stack = await startDemoStack();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-home-'));
});
afterAll(async () => {
  if (home) fs.rmSync(home, { recursive: true, force: true });
  if (stack) expect(await stack.stop()).toBe(0);
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const { MIGRATECLOUDS_API_KEY: _k, MIGRATECLOUDS_API_URL: _u, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...rest, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...env },
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

it('logs in and keeps the key in a 0600 file in a 0700 folder', async () => {
  const res = await cli(['login', '--api-url', stack.url, '--api-key', stack.key]);
  expect(res).toMatchObject({ code: 0 });
  expect(res.stdout).toContain('as "Development"');
  const file = path.join(home, '.config/migrateclouds/config.json');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ api_url: stack.url, api_key: stack.key });
});

it('lists a folder by connection name, service or id', async () => {
  const byName = await cli(['--json', 'ls', 'Demo Google Drive:/']);
  expect(byName.code).toBe(0);
  const names = (JSON.parse(byName.stdout) as Array<{ name: string }>).map((f) => f.name);
  expect(names).toEqual(expect.arrayContaining(['Archive', 'Documents', 'Photos']));
  const byService = await cli(['ls', 'google_drive:/']);
  expect(byService.stdout.trim().split('\n')).toEqual(
    (JSON.parse(byName.stdout) as Array<{ name: string; type: string }>).map(
      (f) => f.name + (f.type === 'folder' ? '/' : ''),
    ),
  );
  const long = await cli(['ls', `${stack.dropbox}:/`, '--long']);
  expect(long.stdout).toMatch(/^TYPE\s+SIZE\s+MODIFIED\s+NAME$/m);
});

it('copies the demo Drive to the demo Dropbox with --json, then streams one CSV row per file', async () => {
  const sdk = new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url });
  const source = await sdk.files
    .list({ connectionId: stack.drive, path: '/', recursive: true, pageSize: 1000 })
    .toArray();
  const files = source.filter((f) => f.type === 'file');

  const res = await cli(['--json', 'cp', 'Demo Google Drive:/', 'dropbox:/From Google Drive']);
  expect(res.code).toBe(0);
  const migration = JSON.parse(res.stdout) as {
    id: string;
    status: string;
    progress: Record<string, number>;
  };
  expect(migration.status).toBe('completed');
  expect(migration.progress.files_discovered).toBe(files.length);
  expect(migration.progress.files_copied).toBe(files.length);
  expect(migration.progress.files_failed).toBe(0);

  const paged = await sdk.items.list(migration.id, { pageSize: 1000 }).toArray();
  const csv = await cli(['items', migration.id, '--format', 'csv']);
  expect(csv.code).toBe(0);
  const rows = csv.stdout.split('\r\n');
  expect(rows[0]).toBe('path,source_id,destination_path,note,size,status,reason,updated_at');
  expect(rows.at(-1)).toBe('');
  expect(rows).toHaveLength(files.length + 2);
  const parsed = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
  expect(parsed.map((r) => r.path)).toEqual(paged.map((i) => i.path));

  const ndjson = await cli(['items', migration.id, '--format', 'ndjson']);
  expect(ndjson.code).toBe(0);
  const lines = ndjson.stdout.trimEnd().split('\n');
  expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(paged);
  const json = await cli(['items', migration.id, '--format', 'json']);
  expect(JSON.parse(json.stdout)).toEqual(paged);

  const failed = await cli(['items', migration.id, '--status', 'failed', '--format', 'json']);
  expect(JSON.parse(failed.stdout)).toEqual([]);
  const shown = await cli(['--json', 'migrations', 'show', migration.id]);
  expect(JSON.parse(shown.stdout)).toMatchObject({ id: migration.id, status: 'completed' });
});

it('reports a migration: a readable summary, and the API’s report with --json', async () => {
  // Copied again with conflict "skip": every file skipped, for one reason.
  const again = await cli(['--json', 'cp', 'Demo Google Drive:/Documents', 'dropbox:/Docs twice']);
  const id = (JSON.parse(again.stdout) as { id: string }).id;
  const second = await cli([
    '--json',
    'cp',
    'Demo Google Drive:/Documents',
    'dropbox:/Docs twice',
    '--conflict',
    'skip',
  ]);
  expect(second.code).toBe(0);
  const skipped = JSON.parse(second.stdout) as { id: string; progress: Record<string, number> };
  expect(skipped.progress.files_skipped).toBeGreaterThan(0);
  expect(skipped.progress.files_copied).toBe(0);

  const json = await cli(['--json', 'report', skipped.id]);
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout) as {
    totals: Record<string, number>;
    by_status: Array<{ status: string; count: number }>;
    by_reason: Array<{ status: string; count: number; reason: string }>;
  };
  expect(report.totals).toMatchObject({
    files: skipped.progress.files_skipped,
    skipped: skipped.progress.files_skipped,
    copied: 0,
  });
  expect(report.by_status.map((s) => s.status)).toEqual(['copied', 'skipped', 'failed', 'deleted']);
  const reasons = report.by_reason.filter((g) => g.status === 'skipped');
  expect(reasons.reduce((n, g) => n + g.count, 0)).toBe(skipped.progress.files_skipped);

  const human = await cli(['report', skipped.id]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(
    new RegExp(`^${skipped.id} completed, took \\S+\n${skipped.progress.files_skipped} files, `),
  );
  expect(human.stdout).toMatch(new RegExp(`^skipped\\s+${skipped.progress.files_skipped}\\s`, 'm'));
  expect(human.stdout).toMatch(/^deleted\s+0\s+0 B$/m);
  expect(human.stdout).toContain('Reasons (failed and skipped, most frequent first):');
  expect(human.stdout).toContain(report.by_reason[0]!.reason.slice(0, 40));
  const first = await cli(['report', id]);
  expect(first.stdout).not.toContain('Reasons');

  const missing = await cli(['report', 'mig_doesnotexist']);
  expect(missing.code).toBe(5);
});

it('exits with a code that says what went wrong', async () => {
  const badKey = await cli(['--json', 'connections', 'list'], { MIGRATECLOUDS_API_KEY: 'mc_wrong' });
  expect(badKey.code).toBe(3);
  expect(JSON.parse(badKey.stderr)).toMatchObject({
    status: 'error',
    error: { code: 'authentication_error' },
  });
  expect((await cli(['migrations', 'show', 'mig_doesnotexist'])).code).toBe(5);
  expect((await cli(['cp', 'only-one-argument'])).code).toBe(2);
  expect((await cli(['cp', 'Demo Google Drive:/', 'dropbox:/x', '--conflict', 'sometimes'])).code).toBe(2);
  const unknown = await cli(['ls', 'box:/']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('<target>: "box" is neither a service');
  const noId = await cli(['ls', 'conn_doesnotexist:/']);
  expect(noId.code).toBe(5);
  expect(noId.stderr).toContain('no connection "conn_doesnotexist"');
  expect((await cli(['logout'])).code).toBe(0);
  expect((await cli(['connections', 'list'])).code).toBe(3);
  expect((await cli(['login', '--api-url', stack.url, '--api-key', stack.key])).code).toBe(0);
});

it('draws a live progress bar on a terminal, and none when piped', async () => {
  const args = ['cp', '"Demo Google Drive:/"', '"dropbox:/Terminal copy"'];
  const command = [process.execPath, BIN, ...args.map((a) => a.replace(/"/g, "'"))].join(' ');
  // Recording, the Dropbox answers slower, so that the picture catches the bar mid-run.
  const record = Boolean(process.env.RECORD_CLI_PROGRESS);
  if (record) await emulatorFaults({ latencyMs: 60 });
  const screen = execFileSync('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), COLUMNS: '140' },
    encoding: 'utf8',
  });
  const ESC = String.fromCharCode(27);
  expect(screen).toContain(`${ESC}[36m`); // the bar's colour
  // The frames as a terminal shows them one after another: colours kept (for the picture) or not.
  const raw = screen.replace(/\r\n/g, '\n').split(new RegExp(`${ESC}\\[1G|\r`));
  const coloured = raw
    .flatMap((f) => f.split('\n'))
    .map((f) => f.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-ln-z]|${ESC}[78]`, 'g'), '').trimEnd())
    .filter(Boolean);
  const frames = coloured.map((f) => f.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), ''));
  expect(frames.join('\n')).toMatch(/\d+% \| \d+\/\d+\+? files \| .* \| ETA [^|]+ \| \d+ failed \| \w+/);
  expect(frames.join('\n')).toMatch(/100% \| 296\/296 files/);
  expect(frames.at(-1)).toMatch(/^mig_\w+ completed: 296 copied/);
  if (record) await emulatorFaults({ latencyMs: 0 });
  if (record) await recordProgress(`migrateclouds ${args.join(' ')}`, frames, coloured);

  const piped = await cli(['cp', 'Demo OneDrive:/', 'dropbox:/Piped copy']);
  expect(piped.code).toBe(0);
  expect(piped.stdout).not.toMatch('%');
  expect(piped.stdout).not.toContain(ESC);
  expect(piped.stdout).toMatch(/^mig_\w+ completed: /);
});

describe('hostile input: usage errors naming the argument, exit 2, nothing started', () => {
  it.each([
    [['cp', 'dropbox:/a/../../etc', 'google_drive:/x'], '<source> "dropbox:/a/../../etc"', '".."'],
    [['cp', 'Demo Google Drive:/', 'dropbox:/x/./y'], '<destination> "dropbox:/x/./y"', '".."'],
    [['cp', 'box:/Photos', 'dropbox:/x'], '<source>: "box" is neither a service', 'google_drive'],
    [['cp', 'Documents', 'dropbox:/x'], '<source> "Documents": is not SERVICE_OR_CONNECTION:/path', ''],
    [['cp', '/home/me/Photos', 'dropbox:/x'], '<source> "/home/me/Photos": is not', ''],
    [['cp', 'Demo Google Drive:/', 'dropbox:Photos'], '<destination> "dropbox:Photos": is not', ''],
    [['ls', 'dropbox:/../x'], '<target> "dropbox:/../x"', ''],
    [['syncs', 'create', 'onedrive', 'dropbox:/x', '--every', '1h'], '<source> "onedrive": is not', ''],
  ])('%j', async (args, message, more) => {
    const before = (
      await new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url }).migrations.list().toArray()
    ).length;
    const res = await cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain(more);
    expect(res.stdout).toBe('');
    const after = (
      await new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url }).migrations.list().toArray()
    ).length;
    expect(after).toBe(before);
  });
});

describe('Ctrl-C during cp', () => {
  const sdk = () => new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url });

  /** Starts cp, sends SIGINT once the migration started; answers the exit code, output and migration id. */
  async function interrupted(extra: string[]) {
    const child = spawn(
      process.execPath,
      [BIN, 'cp', 'Demo Google Drive:/', `dropbox:/Interrupted ${extra.length}`, ...extra],
      {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await until(() => /Started (mig_\w+)/.test(stderr));
    const id = /Started (mig_\w+)/.exec(stderr)![1]!;
    child.kill('SIGINT');
    const code = await exited;
    return { code, stdout, stderr, id };
  }

  it('detaches with exit 130 and a hint; the migration runs on to completion', async () => {
    const { code, stderr, id } = await interrupted([]);
    expect(code).toBe(130);
    expect(stderr).toContain(`Detached: ${id} goes on. Watch it again: migrateclouds migrations watch ${id}`);
    const running = await sdk().migrations.get(id);
    expect(['pending', 'queued', 'running']).toContain(running.status);
    const final = await sdk().waitForMigration(id, { pollInterval: 500 });
    expect(final.status).toBe('completed');
    expect(final.progress.files_copied).toBe(296);
  });

  it('cancels the migration with --cancel-on-interrupt (exit 9)', async () => {
    const { code, stderr, stdout, id } = await interrupted(['--cancel-on-interrupt']);
    expect(stderr).toContain(`Cancelling ${id}`);
    expect(code).toBe(9);
    expect(stdout).toMatch(new RegExp(`^${id} cancelled: `));
    expect((await sdk().migrations.get(id)).status).toBe('cancelled');
  });
});

describe('syncs and webhooks through the CLI', () => {
  it('creates, lists, pauses, resumes, runs and deletes a sync (--json)', async () => {
    const json = async (args: string[]) => {
      const res = await cli(['--json', ...args]);
      expect(res).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(res.stdout) as Record<string, unknown>;
    };
    const created = await json([
      'syncs',
      'create',
      'Demo OneDrive:/Documents',
      'dropbox:/CLI sync',
      '--every',
      '1h',
      '--paused',
    ]);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^syn/),
      state: 'paused',
      schedule: { interval: '1h' },
      source: { connection_id: stack.onedrive, path: '/Documents' },
      destination: { connection_id: stack.dropbox, path: '/CLI sync' },
    });
    const id = created.id as string;
    const listed = (await json(['syncs', 'list'])) as unknown as Array<{ id: string }>;
    expect(listed.map((s) => s.id)).toContain(id);
    expect(await json(['syncs', 'resume', id])).toMatchObject({ id, state: 'active' });
    expect(await json(['syncs', 'pause', id])).toMatchObject({ id, state: 'paused' });
    expect(await json(['syncs', 'run', id])).toMatchObject({ id });
    const sdk = new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url });
    await until(async () => (await sdk.syncs.runs(id).toArray()).length === 1);
    expect(await json(['syncs', 'delete', id])).toMatchObject({ id });
    const gone = await cli(['syncs', 'show', id]);
    expect(gone.code).toBe(5);
    expect((await cli(['syncs', 'create', 'dropbox:/a', 'dropbox:/b'])).code).toBe(2);
  });

  it('creates a webhook, lists it and its deliveries, deletes it (--json)', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received.push(String(req.headers['migrateclouds-signature']));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      const created = await cli([
        '--json',
        'webhooks',
        'create',
        url,
        '--events',
        'migration.completed,migration.failed',
      ]);
      expect(created.code).toBe(0);
      const hook = JSON.parse(created.stdout) as {
        id: string;
        secret: string;
        url: string;
        events: string[];
      };
      expect(hook).toMatchObject({ url, events: ['migration.completed', 'migration.failed'] });
      expect(hook.secret).toMatch(/^whsec_/);
      const listed = JSON.parse((await cli(['--json', 'webhooks', 'list'])).stdout) as Array<{
        id: string;
        secret?: string;
      }>;
      expect(listed.find((w) => w.id === hook.id)).toBeDefined();
      expect(listed.find((w) => w.id === hook.id)!.secret).toBeUndefined();

      await new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url }).webhooks.test(hook.id);
      await until(() => received.length === 1);
      let deliveries: Array<{ event_type: string; status: string }> = [];
      await until(async () => {
        const res = await cli(['--json', 'webhooks', 'deliveries', hook.id]);
        deliveries = JSON.parse(res.stdout) as typeof deliveries;
        return deliveries[0]?.status === 'delivered';
      });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ event_type: 'webhook.test', status: 'delivered' });

      const deleted = await cli(['--json', 'webhooks', 'delete', hook.id]);
      expect(deleted.code).toBe(0);
      expect(JSON.parse(deleted.stdout)).toMatchObject({ id: hook.id });
      expect((await cli(['webhooks', 'deliveries', hook.id])).code).toBe(5);
      const bad = await cli(['webhooks', 'create', url, '--events', 'migration.exploded']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('events');
    } finally {
      receiver.close();
    }
  });
});

describe('connections connect', () => {
  it('prints the consent URL, sees the new connection once the browser consented, exits 0', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--json', 'connections', 'connect', 'dropbox', '--name', 'Connected by the CLI'],
      {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await until(() => stdout.includes('\n'));
    const { authorization_url: url } = JSON.parse(stdout.split('\n')[0]!) as { authorization_url: string };
    expect(stderr).toContain(url);
    expect(stderr).toContain('Waiting for the connection');

    // The browser's part: start (sets the binding cookie) → the emulator's consent → the callback.
    const hops = await browse(url);
    expect(hops.map((h) => `${h.status} ${new URL(h.url).pathname}`)).toEqual([
      '302 /v1/oauth/dropbox/start',
      '302 /oauth2/authorize',
      '201 /v1/oauth/dropbox/callback',
    ]);
    expect(await exited).toBe(0);
    const connection = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as {
      id: string;
      name: string;
      service: string;
      status: string;
    };
    expect(connection).toMatchObject({ name: 'Connected by the CLI', service: 'dropbox', status: 'active' });
    expect(stderr).not.toContain('error');
    const listed = JSON.parse((await cli(['--json', 'connections', 'list'])).stdout) as Array<{ id: string }>;
    expect(listed.map((c) => c.id)).toContain(connection.id);
    // The same link again (another browser, no cookie) is refused by the server.
    const replay = await fetch(url, { redirect: 'manual' });
    expect(replay.status).toBe(400);

    const unknown = await cli(['connections', 'connect', 'box']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"box" has no consent screen');
  });
});

async function emulatorFaults(settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.emulators.dropbox}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}

/** A browser's walk through redirects with a cookie jar: each hop's status and URL. */
async function browse(start: string): Promise<Array<{ status: number; url: string }>> {
  const jar = new Map<string, string>();
  const hops: Array<{ status: number; url: string }> = [];
  for (let url = start; hops.length < 10;) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    hops.push({ status: res.status, url });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return hops;
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects');
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * RECORD_CLI_PROGRESS=1: docs/clients/cli-progress.txt (every frame), docs/clients/cli-progress.png (the
 * terminal mid-run) and the frames in docs/clients/cli.md, all from this one run.
 */
async function recordProgress(command: string, frames: string[], coloured: string[]): Promise<void> {
  const percent = (f: string) => Number(/ (\d+)% \|/.exec(f)?.[1] ?? -1);
  const bars = frames.map((f, i) => ({ i, p: percent(f) })).filter((b) => b.p >= 0);
  const mid = bars
    .filter((b) => b.p > 0 && b.p < 100)
    .sort((a, b) => Math.abs(a.p - 50) - Math.abs(b.p - 50))[0];
  const shown = mid ?? bars.at(-1)!;
  const docs = path.join(ROOT, 'docs/clients');
  const text = [`$ ${command}`, ...frames];
  fs.writeFileSync(path.join(docs, 'cli-progress.txt'), `${text.join('\n')}\n`);
  const started = coloured.find((f) => f.startsWith('Started '))!;
  await renderTerminal(
    [`$ ${command}`, started, coloured[shown.i]!],
    path.join(docs, 'cli-progress.png'),
    'migrateclouds cp',
  );
  const md = path.join(docs, 'cli.md');
  const block = /(<!-- cli-progress:start -->\n+```text\n)[^]*?(```\n+<!-- cli-progress:end -->)/;
  expect(fs.readFileSync(md, 'utf8')).toMatch(block);
  fs.writeFileSync(
    md,
    fs.readFileSync(md, 'utf8').replace(block, (_m, a: string, b: string) => `${a}${text.join('\n')}\n${b}`),
  );
}
