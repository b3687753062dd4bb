// Hostile input on every operation of the app's own OpenAPI document, with a valid API key, on the
// PostgreSQL store (DATABASE_URL_TEST; SQLite only outside CI when it is not set): no answer is a 5xx,
// every answer is the documented envelope, and no error tells internals (stack traces, SQL, file
// paths, IP addresses). The cases are generated from the document (test/api/fuzz-cases.ts), seeded.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ERROR_STATUS } from '../../common/errors';
import { newId } from '../../common/ids';
import { createSecretBox } from '../../common/secret-box';
import { StoreTarget } from '../store/targets';
import { generateCases, type FuzzCase, type OpenApiDoc } from './fuzz-cases';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from './helpers';

// Another seed, or every hostile value for every field (FUZZ_PER_FIELD=100), explores further.
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_014);
const PER_FIELD = Number(process.env.FUZZ_PER_FIELD ?? 8);
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** What an error must never show: the internals a 500 would have leaked. */
const INTERNALS: [string, RegExp][] = [
  ['a stack frame', /\bat [\w$.<>]+ \(|\n\s+at |\.[cm]?[jt]s:\d+/],
  [
    'a JavaScript error',
    /\b(TypeError|ReferenceError|RangeError|SyntaxError|URIError)\b|Cannot read propert|is not a function|\[object Object\]/,
  ],
  [
    'SQL or a database',
    /syntax error|violates|relation "|column "|SQLITE|\bpg_|invalid byte sequence|null character not permitted|duplicate key|\bselect \S+ from\b|\binsert into\b/i,
  ],
  ['a server file path', /\/node_modules\/|\/dist\/|\/work\/|\/home\//],
  ['an IPv4 address', /(?<![\w.])\d{1,3}(\.\d{1,3}){3}(?![\w.])/],
  ['an IPv6 address', /(?<![\w:])::1(?![\w:])|::ffff:|\bfe80::|\bf[cd][0-9a-f]{2}:[0-9a-f:]*:/i],
];

interface Answer {
  status: number;
  type: string;
  text: string;
}

function send(port: number, agent: http.Agent, c: FuzzCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body) headers['Content-Length'] = c.body.length;
    const req = http.request(
      { host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Why an answer breaks the contract, or undefined. */
function problemWith(answer: Answer, c: FuzzCase): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  // The docs page is HTML; everything else, and every error, is JSON.
  if (answer.status < 300 && !c.successEnvelope) {
    return c.successTypes.some((t) => answer.type.startsWith(t)) ? undefined : `answered ${answer.type}`;
  }
  if (!answer.type.startsWith('application/json')) return `answered ${answer.type || 'no content type'}`;
  let body: { status?: unknown; data?: unknown; error?: Record<string, unknown> };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return 'answered something that is not JSON';
  }
  if (body.status === 'success' && answer.status < 300 && 'data' in body) return undefined;
  const error = body.error;
  if (body.status !== 'error' || !error) return 'is not the envelope';
  const { code, message, details } = error;
  if (Object.keys(body).sort().join() !== 'error,status') return 'has fields besides status and error';
  if (Object.keys(error).sort().join() !== 'code,details,message') return 'error has other fields';
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) return `unknown code ${String(code)}`;
  const expected = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
  if (answer.status !== expected && !(code === 'invalid_parameter' && answer.status === 413))
    return `${code} with HTTP ${answer.status}`;
  if (typeof message !== 'string' || !message) return 'no message';
  if (typeof details !== 'string' || !details) return 'no details';
  for (const [what, pattern] of INTERNALS) {
    if (pattern.test(message) || pattern.test(details)) return `tells ${what}`;
  }
  return undefined;
}

let target: StoreTarget | undefined;
let api: TestApi;
let alice: TestAccount;
let server: http.Server;
let syncId: string | undefined;

beforeAll(async () => {
  if (process.env.DATABASE_URL_TEST) target = new StoreTarget('postgres');
  else if (process.env.CI === 'true')
    throw new Error('DATABASE_URL_TEST is not set: the fuzz test needs PostgreSQL');
  api = await createTestApi({
    store: target && (await target.open()),
    // Thousands of requests a minute from one key: only the hostile input should be refused.
    limits: { pro: 1_000_000, enterprise: 1_000_000 },
    env: { MIGRATECLOUDS_ENCRYPTION_KEY: ENCRYPTION_KEY },
  });
  alice = await api.account();
  server = api.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  if (syncId)
    await api.client.schedule
      .getHandle(`sync-${syncId}`)
      .delete()
      .catch(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  await api.close();
  await target?.teardown();
  await closeTemporal();
});

/** Real resources, so that each hostile value reaches as far into the handlers as it can. */
async function fixtures() {
  const as = (method: 'post' | 'get', url: string, body?: object) =>
    (method === 'post' ? request(api.app).post(url).send(body) : request(api.app).get(url)).set(alice.auth);
  const ok = async (res: Promise<request.Response> | request.Response, status: number) => {
    const r = await res;
    expect([r.status, r.body]).toEqual([status, expect.anything()]);
    return r.body.data as { id: string };
  };
  for (const dir of ['src/photos', 'dst']) fs.mkdirSync(path.join(api.root, dir), { recursive: true });
  fs.writeFileSync(path.join(api.root, 'src/photos/a.jpg'), 'jpeg');
  const src = await ok(
    as('post', '/v1/connections', { service: 'local', config: { root: path.join(api.root, 'src') } }),
    201,
  );
  const dst = await ok(
    as('post', '/v1/connections', { service: 'local', config: { root: path.join(api.root, 'dst') } }),
    201,
  );
  const spareKey = await ok(as('post', '/v1/api-keys', { name: 'spare' }), 201);
  const endpoints = {
    source: { connection_id: src.id, path: '/photos' },
    destination: { connection_id: dst.id, path: '/' },
  };
  const migration = await ok(as('post', '/v1/migrations', endpoints), 202);
  // No worker runs it: stopped, pause and resume answer at once instead of waiting for one to reply.
  await api.client.workflow.getHandle(`migration-${migration.id}`).terminate('fuzz fixture');
  const sync = await ok(as('post', '/v1/syncs', { ...endpoints, schedule: { cron: '0 3 1 1 *' } }), 201);
  syncId = sync.id;
  // Written to the store: registering through the API would need a public host that resolves.
  const webhookId = newId('wh');
  await api.store.webhooks.create({
    id: webhookId,
    accountId: alice.id,
    url: 'https://hooks.invalid/mc',
    events: ['migration.completed'],
    description: null,
    secret: createSecretBox(ENCRYPTION_KEY).seal('whsec_fuzz', webhookId),
  });
  await ok(as('post', `/v1/webhooks/${webhookId}/test`), 202);
  const deliveries = await ok(as('get', `/v1/webhooks/${webhookId}/deliveries`), 200);
  const delivery = (deliveries as unknown as { deliveries: { id: string }[] }).deliveries[0]!;
  const ids: Record<string, string> = {
    'api-keys': spareKey.id,
    connections: src.id,
    migrations: migration.id,
    syncs: sync.id,
    webhooks: webhookId,
  };
  const fields: Record<string, unknown> = {
    'source.connection_id': src.id,
    'destination.connection_id': dst.id,
    connection_id: src.id,
    'source.path': '/photos',
    'destination.path': '/',
    path: '/photos',
    'config.root': path.join(api.root, 'src'),
    url: 'https://localhost/hook', // resolves to a loopback address: refused, without saying which
    schedule: { cron: '0 3 1 1 *' },
    timezone: 'UTC',
  };
  return {
    pathParam(template: string, name: string) {
      if (name === 'delivery_id') return delivery.id;
      if (name === 'service') return 'dropbox';
      return ids[template.split('/')[2]!] ?? 'x_unknown';
    },
    field: (at: string) => fields[at],
  };
}

describe('hostile input on every OpenAPI operation', () => {
  it('never answers 5xx, always the envelope, never internals', async () => {
    const doc = (await request(api.app).get('/v1/openapi.json')).body as OpenApiDoc;
    const cases = generateCases(doc, {
      auth: { Authorization: alice.auth.Authorization },
      fixtures: await fixtures(),
      seed: SEED,
      perField: PER_FIELD,
    });
    // Deletions last, so that the resources they remove serve every other case first.
    cases.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const operations = new Set(cases.map((c) => c.name.split(' ').slice(0, 2).join(' ')));
    expect(operations.size).toBe(Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length);

    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const failures: string[] = [];
    try {
      for (let i = 0; i < cases.length; i += 4) {
        await Promise.all(
          cases.slice(i, i + 4).map(async (c) => {
            const answer = await send(port, agent, c).catch((err: Error) => ({
              status: 0,
              type: '',
              text: err.message,
            }));
            const problem = answer.status === 0 ? `no answer: ${answer.text}` : problemWith(answer, c);
            if (problem) failures.push(`${c.name}: ${problem}: ${answer.text.slice(0, 300)}`);
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    if (process.env.FUZZ_REPORT)
      fs.writeFileSync(process.env.FUZZ_REPORT, [`${cases.length} cases`, ...failures].join('\n'));
    expect({ cases: cases.length, failures: failures.slice(0, 40), failed: failures.length }).toEqual({
      cases: cases.length,
      failures: [],
      failed: 0,
    });
    expect(cases.length).toBeGreaterThan(1500);
    // Nothing reached Object.prototype, and the key still works.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await request(api.app).get('/v1/account').set(alice.auth)).status).toBe(200);
  }, 120_000);
});
