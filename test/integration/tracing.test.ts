// OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, the real API and worker processes export one
// trace per migration start, from the HTTP request through StartWorkflow and RunWorkflow to the
// activities. A tiny OTLP/HTTP receiver (the exporter sends JSON) collects the spans.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBase62 } from '../../common/ids';
import { createStore } from '../../store';
import type { Store } from '../../store/types';
import { freePort } from '../helpers/supervisor';
import { writeTree } from '../helpers/tree';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_KIND = 2; // OTLP's SPAN_KIND_SERVER

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

const spans: ReceivedSpan[] = [];
const children: ChildProcess[] = [];
let receiver: http.Server;
let tmp: string;
let store: Store;
let apiUrl: string;

interface OtlpBody {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Omit<ReceivedSpan, 'service'>[] }[];
  }[];
}

/** POST /v1/traces, OTLP/HTTP with a JSON body. */
function startReceiver(port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        for (const rs of (JSON.parse(body) as OtlpBody).resourceSpans ?? []) {
          const service =
            rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ ...s, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function start(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  execFileSync('bash', ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'], { cwd: ROOT });
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-otel-')));
  const databaseUrl = `sqlite:${path.join(tmp, 'store.db')}`;
  store = await createStore(databaseUrl);
  const [otlpPort, apiPort] = [await freePort(), await freePort()];
  receiver = await startReceiver(otlpPort);
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
    MIGRATECLOUDS_TASK_QUEUE: `otel-test-${randomBase62(8)}`,
    MIGRATECLOUDS_LOCAL_ROOTS: tmp,
    MIGRATECLOUDS_DATA_DIR: tmp,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
    LOG_LEVEL: 'warn',
  };
  start('dist/worker/main.js', env);
  start('dist/api/main.js', { ...env, PORT: String(apiPort), HOST: '127.0.0.1' });
  await until('the API', async () => ((await fetch(`${apiUrl}/healthz`)).ok ? true : undefined), 60_000);
}, 300_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(0)))),
  );
  receiver?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('exports one trace from POST /v1/migrations through the workflow to its activities', async () => {
  const account = await store.accounts.create({ name: 'otel', plan: 'pro' });
  await store.localGrants.grant(account.id, tmp);
  const { plaintext } = await store.apiKeys.create({ accountId: account.id, name: 'otel', scope: 'admin' });
  writeTree(path.join(tmp, 'src'), { folders: 2, filesPerFolder: 3, depth: 1, maxBytes: 1000 });
  fs.mkdirSync(path.join(tmp, 'dst'));
  const [src, dst] = await Promise.all(
    ['src', 'dst'].map((name) =>
      store.connections.create({
        accountId: account.id,
        service: 'local',
        name,
        config: { root: path.join(tmp, name) },
      }),
    ),
  );
  const headers = { authorization: `Bearer ${plaintext}`, 'content-type': 'application/json' };
  const res = await fetch(`${apiUrl}/v1/migrations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      source: { connection_id: src.id, path: '/' },
      destination: { connection_id: dst.id, path: '/' },
    }),
  });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { data: { id: string } }).data.id;
  // The worker bundles its workflows at start when tracing is on: allow it time.
  await until(
    'the migration to complete',
    async () => {
      const r = await fetch(`${apiUrl}/v1/migrations/${id}`, { headers });
      const status = ((await r.json()) as { data: { status: string } }).data.status;
      return status === 'completed' ? status : undefined;
    },
    150_000,
  );

  const request = spans.find((s) => s.name === 'POST /v1/migrations' && s.kind === SERVER_KIND);
  expect(request?.service).toBe('migrateclouds-api');
  const names = () => spans.filter((s) => s.traceId === request!.traceId).map((s) => s.name);
  // Spans are sent in batches (every second); the workflow's last ones after it completes.
  await until(
    'the trace’s activity spans',
    async () => (names().some((n) => n.startsWith('RunActivity:copyFiles')) ? true : undefined),
    20_000,
  );
  expect(names()).toEqual(
    expect.arrayContaining([
      'POST /v1/migrations',
      'StartWorkflow:migrationWorkflow',
      'RunWorkflow:migrationWorkflow',
      'RunActivity:admitMigration',
    ]),
  );
  const trace = spans.filter((s) => s.traceId === request!.traceId);
  const start = trace.find((s) => s.name === 'StartWorkflow:migrationWorkflow');
  expect(start?.parentSpanId).toBe(request!.spanId);
  expect(new Set(trace.map((s) => s.service))).toEqual(
    new Set(['migrateclouds-api', 'migrateclouds-worker']),
  );
}, 240_000);
