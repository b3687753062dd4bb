// The user CLI `migrateclouds`, spawned as built (clients/typescript/dist/cli/bin.js) with its own HOME,
// against a real `npm start -- --demo` stack: login, ls, cp with --json, items as CSV, exit codes, and the
// live progress bar under a pseudo-terminal.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { MigrateClouds } from '../../clients/typescript/src';
import { ROOT, startDemoStack, type DemoStack } from './demo-stack';

jest.setTimeout(300_000);
const BIN = path.join(ROOT, 'clients/typescript/dist/cli/bin.js');

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
  expect(unknown.code).toBe(5);
  expect(unknown.stderr).toContain('No connection "box"');
  expect((await cli(['logout'])).code).toBe(0);
  expect((await cli(['connections', 'list'])).code).toBe(3);
  expect((await cli(['login', '--api-url', stack.url, '--api-key', stack.key])).code).toBe(0);
});

it('draws a live progress bar on a terminal, and none when piped', async () => {
  const command = [process.execPath, BIN, 'cp', "'Demo OneDrive:/'", "'dropbox:/Terminal copy'"].join(' ');
  const screen = execFileSync('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), COLUMNS: '140' },
    encoding: 'utf8',
  });
  expect(screen).toMatch(/\d+% \| \d+\/\d+\+? files \| .* \| ETA [^|]+ \| \d+ failed \| \w+/);
  expect(screen).toMatch(/100% \| 56\/56 files/);
  expect(screen).toMatch(/mig_\w+ completed: 56 copied/);
  // The frames as a terminal shows them one after another, for docs/clients/cli-progress.txt.
  const ESC = String.fromCharCode(27);
  const frames = screen
    .replace(/\r\n/g, '\n')
    .split(new RegExp(`${ESC}\\[1G|\r`))
    .map((f) => f.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}[78]`, 'g'), '').trimEnd())
    .filter(Boolean);
  if (process.env.RECORD_CLI_PROGRESS)
    fs.writeFileSync(
      path.join(ROOT, 'docs/clients/cli-progress.txt'),
      `$ migrateclouds cp "Demo OneDrive:/" "dropbox:/Terminal copy"\n${frames.join('\n')}\n`,
    );

  const piped = await cli(['cp', 'Demo OneDrive:/', 'dropbox:/Piped copy']);
  expect(piped.code).toBe(0);
  expect(piped.stdout).not.toMatch('%');
  expect(piped.stdout).not.toContain(ESC);
  expect(piped.stdout).toMatch(/^mig_\w+ completed: /);
});
