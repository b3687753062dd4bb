// The dev server module behind `npm start` and `npm run temporal`, with the real Temporal CLI: it starts a
// persistent server, registers the search attributes also on a db file that predates them, and stops cleanly.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import {
  devServerArgs,
  isServing,
  planDevServer,
  startTemporal,
  waitUntilServing,
} from '../../scripts/lib/temporal-dev-server';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../../contract';

import { freePort } from '../helpers/supervisor';

const ROOT = path.resolve(__dirname, '../..');

function customAttributes(cli: string, address: string): Record<string, string> {
  const out = execFileSync(
    cli,
    ['operator', 'search-attribute', 'list', '--address', address, '-o', 'json'],
    {
      encoding: 'utf8',
    },
  );
  return (JSON.parse(out) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
}

describe('planDevServer / devServerArgs', () => {
  it('derives ports, files and flags from the config', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'localhost:7300', MIGRATECLOUDS_DATA_DIR: '/tmp/mc-data' });
    const plan = { ...planDevServer(config), cli: 'temporal' };
    expect(plan).toEqual({
      cli: 'temporal',
      host: 'localhost',
      port: 7300,
      uiPort: 8233,
      namespace: 'default',
      dbFile: '/tmp/mc-data/temporal.db',
      logFile: '/tmp/mc-data/temporal.log',
    });
    // prettier-ignore
    expect(devServerArgs(plan)).toEqual([
      'server', 'start-dev', '--db-filename', '/tmp/mc-data/temporal.db', '--port', '7300',
      '--ui-port', '8233', '--ip', '127.0.0.1', '--namespace', 'default', '--log-level', 'warn',
      '--search-attribute', 'MigrationAccountId=Keyword',
      '--search-attribute', 'MigrationSourceService=Keyword',
      '--search-attribute', 'MigrationDestinationService=Keyword',
      '--dynamic-config-value', 'matching.enableFairness=true',
    ]);
  });

  it('takes the Web UI port from TEMPORAL_UI_URL', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: '127.0.0.1:7400',
      TEMPORAL_UI_URL: 'http://localhost:9000',
    });
    expect(planDevServer(config).uiPort).toBe(9000);
  });

  it('points the Web UI at the codec endpoint when TEMPORAL_CODEC_PORT is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7400', TEMPORAL_CODEC_PORT: '8234' });
    const plan = planDevServer(config);
    expect(plan.codecEndpoint).toBe('http://127.0.0.1:8234/codec');
    expect(devServerArgs(plan).join(' ')).toContain('--ui-codec-endpoint http://127.0.0.1:8234/codec');
    expect(planDevServer(loadConfig({})).codecEndpoint).toBeUndefined();
  });
});

describe('startTemporal', () => {
  let dataDir: string;
  let cli: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-temporal-'));
    cli = temporalCliPath(ROOT);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('registers the search attributes on a db file created without them, reuses a running server, stops', async () => {
    const port = await freePort();
    const uiPort = await freePort();
    const address = `127.0.0.1:${port}`;
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_UI_URL: `http://127.0.0.1:${uiPort}`,
      MIGRATECLOUDS_DATA_DIR: dataDir,
    });
    const dbFile = path.join(dataDir, 'temporal.db');

    // An older db file: the namespace exists, the project's attributes do not.
    // prettier-ignore
    const plain = spawn(cli, ['server', 'start-dev', '--db-filename', dbFile, '--port', String(port),
      '--ui-port', String(uiPort), '--ip', '127.0.0.1', '--namespace', 'default'], { stdio: 'ignore' });
    await waitUntilServing(cli, address, { timeoutMs: 60_000 });
    expect(Object.keys(customAttributes(cli, address))).toEqual([]);
    const plainExit = new Promise((resolve) => plain.once('exit', resolve));
    plain.kill('SIGTERM');
    await plainExit;

    const lines: string[] = [];
    const temporal = await startTemporal(config, { log: (l) => lines.push(l) });
    try {
      expect(temporal.address).toBe(address);
      expect(temporal.uiUrl).toBe(`http://localhost:${uiPort}`);
      expect(temporal.child?.running).toBe(true);
      expect(customAttributes(cli, address)).toEqual(
        Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((n) => [n, 'INDEXED_VALUE_TYPE_KEYWORD'])),
      );
      expect(fs.existsSync(path.join(dataDir, 'temporal.log'))).toBe(true);

      // A second start finds it serving and starts nothing.
      const again = await startTemporal(config, { log: (l) => lines.push(l) });
      expect(again.child).toBeUndefined();
      expect(lines).toContain(`Temporal is already serving at ${address}: using it`);
    } finally {
      await temporal.child?.stop();
    }
    expect(temporal.child?.running).toBe(false);
    expect(await isServing(cli, address)).toBe(false);
  }, 180_000);
});
