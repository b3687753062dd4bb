// `npm start` end to end: the real supervisor (dist/scripts/start.js) with the real Temporal dev server, worker
// and API, in a temporary data dir on free ports. It must print a working dev key, reuse it on the next start,
// and stop every child on SIGTERM / SIGINT with exit code 0. The second start is in demo mode (`--demo`): the
// emulators come up and the development account gets its three demo connections.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isServing } from '../../scripts/lib/temporal-dev-server';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { freePort, startSupervisor as startWith } from '../helpers/supervisor';

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let ports: { api: number; temporal: number; ui: number; drive: number; onedrive: number; dropbox: number };

const startSupervisor = (args: string[] = []) => startWith(env, args);

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-install'], { cwd: ROOT });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-start-'));
  ports = {
    api: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    drive: await freePort(),
    onedrive: await freePort(),
    dropbox: await freePort(),
  };
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...rest } = process.env;
  env = {
    ...rest,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: String(ports.api),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ports.ui}`,
    MIGRATECLOUDS_DATA_DIR: dataDir,
    EMULATOR_GOOGLE_DRIVE_PORT: String(ports.drive),
    EMULATOR_ONEDRIVE_PORT: String(ports.onedrive),
    EMULATOR_DROPBOX_PORT: String(ports.dropbox),
  };
}, 300_000);

afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

it('runs everything, prints a working dev key, reuses it on restart, and stops cleanly', async () => {
  const apiUrl = `http://localhost:${ports.api}`;
  const first = await startSupervisor();
  const keyFile = path.join(dataDir, 'dev-api-key');
  const key = fs.readFileSync(keyFile, 'utf8').trim();
  const accountId = fs.readFileSync(path.join(dataDir, 'dev-account-id'), 'utf8').trim();
  try {
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(key).toMatch(/^mc_[0-9A-Za-z]{32,}$/);
    // A development encryption key for connection credentials, made once, readable by the owner only.
    const encryptionKeyFile = path.join(dataDir, 'encryption-key');
    expect(fs.statSync(encryptionKeyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(encryptionKeyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    const banner = first.output();
    expect(banner).toContain(`API          ${apiUrl}\n`);
    expect(banner).toContain(`API docs     ${apiUrl}/docs\n`);
    expect(banner).toContain(`Temporal UI  http://localhost:${ports.ui}\n`);
    expect(banner).toContain(`curl -H "Authorization: Bearer ${key}" ${apiUrl}/v1/account\n`);

    const res = await fetch(`http://127.0.0.1:${ports.api}/v1/account`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { id: string; plan: string } };
    expect(body).toMatchObject({ status: 'success', data: { id: accountId, plan: 'enterprise' } });
  } finally {
    expect(await first.stop('SIGTERM')).toBe(0);
  }
  const cli = temporalCliPath(ROOT);
  expect(await isServing(cli, `127.0.0.1:${ports.temporal}`)).toBe(false);
  await expect(fetch(`http://127.0.0.1:${ports.api}/healthz`)).rejects.toThrow();

  // Second start, in demo mode: same account, same key, and connections to the emulators.
  const second = await startSupervisor(['--demo']);
  try {
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(second.output()).not.toContain('development account');
    expect(second.output()).toContain(`Bearer ${key}`);
    const res = await fetch(`http://127.0.0.1:${ports.api}/v1/connections`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const { data } = (await res.json()) as { data: { connections: Array<Record<string, unknown>> } };
    expect(data.connections.map((c) => [c.service, c.name, c.status, c.config])).toEqual([
      ['google_drive', 'Demo Google Drive', 'active', { demo: true }],
      ['onedrive', 'Demo OneDrive', 'active', { demo: true }],
      ['dropbox', 'Demo Dropbox', 'active', { demo: true }],
    ]);
    for (const c of data.connections) expect(second.output()).toContain(`${c.id as string}   emulator`);
    expect(second.output()).toContain(`emulator http://127.0.0.1:${ports.drive}`);
    // The API reaches the emulated Drive through the demo connection's sealed tokens.
    const drive = data.connections[0].id as string;
    const list = await fetch(
      `http://127.0.0.1:${ports.api}/v1/files/list?connection_id=${drive}&path=/Videos`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    );
    const listed = (await list.json()) as { data: { files: Array<{ name: string; size: number }> } };
    expect(listed.data.files.filter((f) => f.size > 20 * 1024 * 1024).map((f) => f.name)).toEqual([
      'Holiday highlights 2023.mp4',
    ]);
  } finally {
    expect(await second.stop('SIGINT')).toBe(0);
  }
  expect(await isServing(cli, `127.0.0.1:${ports.temporal}`)).toBe(false);
  await expect(fetch(`http://127.0.0.1:${ports.drive}/_emulator/counters`)).rejects.toThrow();
}, 400_000);
