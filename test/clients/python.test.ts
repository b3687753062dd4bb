// The Python SDK (clients/python) and the Python examples, run by python3 against `npm start -- --demo`
// (the real supervisor, dev server, worker, API and emulators): its unittest suite with the exact number
// of tests (so the suite cannot silently shrink or skip), a `pip install --no-build-isolation` into a fresh
// venv, and each example with its output checked.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../helpers/supervisor';
import { ROOT, startDemoStack, type DemoStack } from './demo-stack';

const SDK = path.join(ROOT, 'clients/python');
const EXAMPLES = path.join(ROOT, 'examples/python');
/** Every test in clients/python/tests: change it with the suite. */
const PYTHON_TESTS = 45;

jest.setTimeout(300_000);

const run = promisify(execFile);

interface Captured {
  headers: Record<string, string>;
  body: Buffer;
}

describe('the Python SDK against npm start --demo', () => {
  let stack: DemoStack;
  let api: string;
  let key: string;
  let env: NodeJS.ProcessEnv;

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${api}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as { data: Record<string, unknown> };
  };
  const python = (args: string[], opts: { cwd?: string; extraEnv?: NodeJS.ProcessEnv } = {}) =>
    run('python3', args, { cwd: opts.cwd ?? ROOT, env: { ...env, ...opts.extraEnv }, maxBuffer: 16 << 20 });

  beforeAll(async () => {
    stack = await startDemoStack();
    // 127.0.0.1: Python's urllib would try ::1 first for localhost.
    api = stack.url.replace('localhost', '127.0.0.1');
    key = stack.key;
    env = {
      ...process.env,
      CI: 'true',
      PYTHONPATH: SDK,
      PYTHONDONTWRITEBYTECODE: '1',
      MIGRATECLOUDS_API_URL: api,
      MIGRATECLOUDS_API_KEY: key,
    };
  });

  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0);
  });

  it('passes its unittest suite, every test run and none skipped', async () => {
    const { stderr } = await python(['-m', 'unittest', 'discover', '-v', '-s', 'clients/python/tests']);
    // unittest reports on stderr; a failure rejects the promise with the report in it.
    expect(stderr).toMatch(new RegExp(`^Ran ${PYTHON_TESTS} tests? in`, 'm'));
    expect(stderr).toMatch(/^OK$/m);
    expect(stderr).not.toMatch(/skipped/);
  });

  it('installs with pip --no-build-isolation into a fresh venv and works from there', async () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-pyvenv-'));
    try {
      await run('python3', ['-m', 'venv', '--system-site-packages', venv]);
      await run(path.join(venv, 'bin/pip'), ['install', '--no-build-isolation', '--quiet', SDK], {
        env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
      const script =
        'import migrateclouds, os; print(os.path.dirname(migrateclouds.__file__)); ' +
        "print(os.path.exists(os.path.join(os.path.dirname(migrateclouds.__file__), 'py.typed'))); " +
        'print(migrateclouds.MigrateClouds().account.get().plan)';
      const { stdout } = await run(path.join(venv, 'bin/python'), ['-c', script], {
        cwd: venv, // not the repository: the import must come from the venv
        env: { ...env, PYTHONPATH: '' },
      });
      const [where, typed, plan] = stdout.trim().split('\n');
      expect(where!.startsWith(venv)).toBe(true);
      expect(typed).toBe('True');
      expect(plan).toBe('enterprise');
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  });

  it('runs the list-files and start-and-watch examples', async () => {
    const { connections } = (await call('GET', '/v1/connections')).data as {
      connections: Array<{ id: string; service: string }>;
    };
    const drive = connections.find((c) => c.service === 'google_drive')!.id;
    const dropbox = connections.find((c) => c.service === 'dropbox')!.id;

    const listed = await python([path.join(EXAMPLES, 'list_files.py'), drive, '/Recipes']);
    expect(listed.stdout).toMatch(/^16 files \([\d,]+ bytes\), 0 folders$/m);
    expect(listed.stdout.split('\n').filter((l) => l.includes('/Recipes/'))).toHaveLength(16);

    const watched = await python([
      path.join(EXAMPLES, 'start_and_watch_migration.py'),
      drive,
      '/Recipes',
      dropbox,
      '/Example from Python',
    ]);
    expect(watched.stdout).toMatch(/^started mig_\w+$/m);
    expect(watched.stdout).toMatch(/^completed +16\/16 files/m);
    expect(watched.stdout).toMatch(/^completed: 16 copied, 0 skipped, 0 failed$/m);
  });

  it('runs the webhook example: a real signed delivery is verified, a tampered one refused', async () => {
    // A receiver of our own captures a real delivery, byte for byte.
    let captured: Captured | undefined;
    const capture = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) };
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const port = (capture.address() as { port: number }).port;
    const hook = (
      await call('POST', '/v1/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
        events: ['migration.completed'],
      })
    ).data as { id: string; secret: string };
    await call('POST', `/v1/webhooks/${hook.id}/test`);
    for (const deadline = Date.now() + 60_000; !captured;) {
      if (Date.now() > deadline) throw new Error('no delivery within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    capture.close();
    await call('DELETE', `/v1/webhooks/${hook.id}`);

    const examplePort = await freePort();
    const example = spawn('python3', [path.join(EXAMPLES, 'verify_webhook.py'), String(examplePort)], {
      env: { ...env, MIGRATECLOUDS_WEBHOOK_SECRET: hook.secret },
    });
    let output = '';
    example.stdout.on('data', (d: Buffer) => (output += d.toString()));
    example.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      for (const deadline = Date.now() + 20_000; !output.includes('listening on');) {
        if (Date.now() > deadline || example.exitCode !== null)
          throw new Error(`example did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const replay = (body: Buffer) =>
        fetch(`http://127.0.0.1:${examplePort}/hook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'migrateclouds-signature': captured!.headers['migrateclouds-signature']!,
            'migrateclouds-delivery': captured!.headers['migrateclouds-delivery']!,
            'migrateclouds-event': captured!.headers['migrateclouds-event']!,
          },
          body,
        });
      expect((await replay(captured!.body)).status).toBe(204);
      const tampered = Buffer.from(captured!.body.toString().replace('webhook.test', 'webhook.fake'));
      expect(tampered.equals(captured!.body)).toBe(false);
      expect((await replay(tampered)).status).toBe(400);
      // The answer can arrive before the example's printed line has crossed the pipe.
      for (const deadline = Date.now() + 5_000; !output.includes('refused:') && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 50));
      expect(output).toMatch(/^verified webhook\.test evt_\w+ \(delivery dlv_\w+\)$/m);
      expect(output).toMatch(/^refused: The signature does not match this body and secret$/m);
    } finally {
      example.kill('SIGTERM');
    }
  });
});
