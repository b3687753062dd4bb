// The curl examples (examples/curl/*.sh) run as a user would, against the real `npm start -- --demo`
// stack (supervisor, dev server, worker, API and the Drive/OneDrive/Dropbox emulators), and their output
// is checked against the API's own answers. The webhook example verifies a real signed delivery, captured
// by a local receiver, and refuses it once its body is tampered with.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROOT, startDemoStack, type DemoStack } from '../clients/demo-stack';

const EXAMPLES = path.join(ROOT, 'examples/curl');

jest.setTimeout(300_000);

let stack: DemoStack;
let dataDir: string;
let api: string;
let key: string;
let drive: string;
let dropbox: string;

type Data = Record<string, unknown>;

async function call(method: string, url: string, body?: unknown): Promise<Data> {
  const res = await fetch(`${api}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data: Data };
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Runs an example; answers its exit code and output (never throws on a non-zero exit). */
function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(EXAMPLES, script), ...args],
      { env: { PATH: process.env.PATH, MIGRATECLOUDS_API_URL: api, MIGRATECLOUDS_API_KEY: key, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  stack = await startDemoStack();
  ({ url: api, key, dataDir, drive, dropbox } = stack);
});

afterAll(async () => {
  if (stack) expect(await stack.stop()).toBe(0);
});

describe('examples/curl', () => {
  it('list-files.sh follows next_page_token to the last page', async () => {
    const listed: Data[] = [];
    let token: string | null = null;
    do {
      const query = new URLSearchParams({
        connection_id: drive,
        path: '/',
        recursive: 'true',
        page_size: '1000',
      });
      if (token) query.set('page_token', token);
      const page = (await call('GET', `/v1/files/list?${query}`)) as {
        files: Data[];
        next_page_token: string | null;
      };
      listed.push(...page.files);
      token = page.next_page_token;
    } while (token);

    const out = await run('list-files.sh', [drive, '/', '--recursive'], { PAGE_SIZE: '7' });
    expect(out).toMatchObject({ code: 0, stderr: '' });
    const lines = out.stdout.trimEnd().split('\n');
    expect(listed.length).toBeGreaterThan(7 * 3);
    expect(lines).toEqual(
      listed.map((f) => `${f.type as string}\t${(f.size as number | null) ?? '-'}\t${f.path as string}`),
    );
  });

  it('list-files.sh fails with the API’s error', async () => {
    const out = await run('list-files.sh', ['conn_unknown', '/']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/answered 404: resource_not_found/);
  });

  it('start-and-watch-migration.sh starts, watches to the end, and saves the CSV report', async () => {
    const csv = path.join(dataDir, 'report.csv');
    const out = await run(
      'start-and-watch-migration.sh',
      [`${drive}:/Documents`, `${dropbox}:/curl-example`, csv],
      {
        POLL_SECONDS: '1',
      },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const id = /^Started (mig_\w+)$/m.exec(out.stdout)![1]!;
    const migration = (await call('GET', `/v1/migrations/${id}`)) as { status: string; progress: Data };
    expect(migration.status).toBe('completed');
    const copied = migration.progress.files_copied as number;
    expect(copied).toBeGreaterThan(0);
    expect(out.stdout).toContain(
      `completed: ${copied} copied, 0 skipped, 0 failed of ${migration.progress.files_discovered as number} found;`,
    );
    expect(out.stdout).toContain(`Report: ${copied} files`);
    const rows = parse(fs.readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(copied);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['copied']));
    expect(rows.every((r) => r.path!.startsWith('/Documents/'))).toBe(true);
  });

  it('start-and-watch-migration.sh exits non-zero when the API refuses', async () => {
    const out = await run('start-and-watch-migration.sh', [`${drive}:/Documents`, 'conn_nope:/x']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/POST \/v1\/migrations answered 404: resource_not_found/);
  });

  it('verify-webhook.sh accepts a real delivery and refuses a tampered body or another secret', async () => {
    const captured = new Promise<{ headers: string; body: Buffer }>((resolve) => {
      const receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(204).end();
          const headers = Object.entries(req.headers)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('\r\n');
          resolve({ headers, body: Buffer.concat(chunks) });
          receiver.close();
        });
      });
      receiver.listen(0, '127.0.0.1', () => {
        const { port } = receiver.address() as AddressInfo;
        void call('POST', '/v1/webhooks', {
          url: `http://127.0.0.1:${port}/hook`,
          events: ['migration.completed'],
        }).then(async (hook) => {
          secret = hook.secret as string;
          await call('POST', `/v1/webhooks/${hook.id as string}/test`);
        });
      });
    });
    let secret = '';
    const delivery = await captured;
    const headersFile = path.join(dataDir, 'headers.txt');
    const bodyFile = path.join(dataDir, 'body.json');
    fs.writeFileSync(headersFile, delivery.headers);
    fs.writeFileSync(bodyFile, delivery.body);

    const ok = await run('verify-webhook.sh', [headersFile, bodyFile], {
      MIGRATECLOUDS_WEBHOOK_SECRET: secret,
    });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(/^valid: webhook\.test event, delivery dlv_\w+, signed at \d+\n$/);

    // One byte changed in the body: refused.
    const tampered = path.join(dataDir, 'tampered.json');
    const changed = delivery.body.toString('utf8').replace('"webhook.test"', '"webhook.tesT"');
    expect(changed).not.toBe(delivery.body.toString('utf8'));
    fs.writeFileSync(tampered, changed);
    const bad = await run('verify-webhook.sh', [headersFile, tampered], {
      MIGRATECLOUDS_WEBHOOK_SECRET: secret,
    });
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe('invalid: the signature does not match this body and secret\n');

    const other = await run('verify-webhook.sh', [headersFile, bodyFile], {
      MIGRATECLOUDS_WEBHOOK_SECRET: 'whsec_someoneelse',
    });
    expect(other.code).toBe(1);

    // A replay: the same delivery checked with no tolerance left.
    const late = await run('verify-webhook.sh', [headersFile, bodyFile], {
      MIGRATECLOUDS_WEBHOOK_SECRET: secret,
      TOLERANCE_SECONDS: '-1',
    });
    expect(late.code).toBe(1);
  });
});
