// Webhooks end to end: the real API, a real migration worker and a real webhook worker (on its own
// task queue) against the Temporal dev server, and a receiver in this test (an HTTP server on
// 127.0.0.1, allowed by MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE) that verifies every signature, answers 500
// to the first two attempts of each delivery and counts what it got.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateEncryptionKey } from '../../common/secret-box';
import { verifySignature } from '../../common/webhook-signature';
import { webhookDeliveryWorkflowId, webhookTaskQueue } from '../../contract';
import { createWebhookPublisher } from '../../events';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from '../api/helpers';
import { startEventWorkers, type EventWorkers } from '../helpers/event-workers';

const KEY = generateEncryptionKey();
const FAILURES_BEFORE_SUCCESS = 2;

interface Received {
  path: string;
  deliveryId: string;
  eventType: string;
  body: string;
  verified: boolean;
  answered: number;
}

let api: TestApi;
let strictApi: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let workers: EventWorkers | undefined;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
/** Secrets by receiver path, so the receiver can verify what it gets. */
const secrets = new Map<string, string>();

beforeAll(async () => {
  api = await createTestApi({
    env: {
      MIGRATECLOUDS_ENCRYPTION_KEY: KEY,
      MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: 'true',
      MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS: '0.5',
      MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS: '5',
    },
  });
  // The same database and queues, without the development setting.
  strictApi = await createTestApi({ store: api.store, env: { MIGRATECLOUDS_ENCRYPTION_KEY: KEY } });
  workers = await startEventWorkers(api, KEY);
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');

  const attemptsById = new Map<string, number>();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(req.headers['migrateclouds-delivery']);
      const signature = req.headers['migrateclouds-signature'] as string | undefined;
      const secret = secrets.get(req.url ?? '') ?? '';
      const n = (attemptsById.get(deliveryId) ?? 0) + 1;
      attemptsById.set(deliveryId, n);
      const answered = req.url === '/gone' ? 410 : n <= FAILURES_BEFORE_SUCCESS ? 500 : 200;
      received.push({
        path: req.url ?? '',
        deliveryId,
        eventType: String(req.headers['migrateclouds-event']),
        body,
        verified: verifySignature(secret, signature, body),
        answered,
      });
      res.statusCode = answered;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await workers?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await strictApi?.close();
  await api?.close();
  await closeTemporal();
});

async function register(who: TestAccount, receiverPath: string, events: string[]) {
  const res = await request(api.app)
    .post('/v1/webhooks')
    .set(who.auth)
    .send({ url: `${receiverUrl}${receiverPath}`, events, description: `receiver ${receiverPath}` });
  expect(res.status).toBe(201);
  expect(res.body.data.secret).toMatch(/^whsec_/);
  secrets.set(receiverPath, res.body.data.secret);
  return res.body.data as { id: string; secret: string };
}

async function connect(who: TestAccount, name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(who.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

/** Every delivery workflow to this endpoint has ended (delivered or failed). */
async function settled(who: TestAccount, webhookId: string, count: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(api.app).get(`/v1/webhooks/${webhookId}/deliveries`).set(who.auth);
    expect(res.status).toBe(200);
    const deliveries = res.body.data.deliveries as { id: string; status: string }[];
    if (deliveries.length >= count) {
      const results = await Promise.all(
        deliveries.map((d) => api.client.workflow.getHandle(webhookDeliveryWorkflowId(d.id)).result()),
      );
      const again = await request(api.app).get(`/v1/webhooks/${webhookId}/deliveries`).set(who.auth);
      return { results, deliveries: again.body.data.deliveries as Record<string, unknown>[] };
    }
    if (Date.now() > deadline) throw new Error(`only ${deliveries.length} deliveries`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('registering endpoints', () => {
  it('validates the URL and events, naming the field, and refuses private targets without the dev setting', async () => {
    const post = (app: TestApi, body: object) =>
      request(app.app).post('/v1/webhooks').set(alice.auth).send(body);
    const events = ['migration.completed'];

    let e = expectError(
      await post(strictApi, { url: 'https://127.0.0.1/hook', events }),
      400,
      'invalid_parameter',
    );
    expect(e.message).toMatch(/^Invalid parameter 'url': .*loopback/);
    e = expectError(
      await post(strictApi, { url: 'https://[::ffff:10.0.0.1]/', events }),
      400,
      'invalid_parameter',
    );
    expect(e.message).toMatch(/'url'.*private/);
    e = expectError(
      await post(strictApi, { url: 'https://localhost/hook', events }),
      400,
      'invalid_parameter',
    );
    expect(e.message).toMatch(/'url'.*loopback/);
    e = expectError(await post(strictApi, { url: `${receiverUrl}/x`, events }), 400, 'invalid_parameter');
    expect(e.message).toMatch(/'url': must be an https:\/\/ URL/);
    // Metadata stays refused even with the development setting.
    e = expectError(
      await post(api, { url: 'http://169.254.169.254/latest', events }),
      400,
      'invalid_parameter',
    );
    expect(e.message).toMatch(/'url'.*metadata/);
    e = expectError(await post(api, { url: 'not a url', events }), 400, 'invalid_parameter');
    expect(e.message).toMatch(/'url'/);

    e = expectError(
      await post(api, { url: `${receiverUrl}/x`, events: ['migration.exploded'] }),
      400,
      'invalid_parameter',
    );
    expect(e.message).toMatch(/^Invalid parameter 'events\[0\]': must be one of: migration\.started/);
    e = expectError(await post(api, { url: `${receiverUrl}/x`, events: [] }), 400, 'invalid_parameter');
    expect(e.message).toBe("Invalid parameter 'events': must name at least one event type");
    e = expectError(await post(api, { url: `${receiverUrl}/x` }), 400, 'invalid_parameter');
    expect(e.message).toMatch(/'events': is required/);
  });

  it('shows the secret once, pages lists, and keeps other accounts out', async () => {
    const a = await register(alice, '/list-a', ['migration.failed']);
    const b = await register(alice, '/list-b', ['sync.run_started', 'connection.needs_reauth']);

    const one = await request(api.app).get(`/v1/webhooks/${a.id}`).set(alice.auth);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({
      id: a.id,
      events: ['migration.failed'],
      description: 'receiver /list-a',
    });
    expect(JSON.stringify(one.body)).not.toContain(a.secret);

    const page1 = await request(api.app).get('/v1/webhooks?page_size=1').set(alice.auth);
    expect(page1.body.data.webhooks).toHaveLength(1);
    const token = page1.body.data.next_page_token as string;
    expect(token).toEqual(expect.any(String));
    const all: string[] = [page1.body.data.webhooks[0].id];
    let next: string | null = token;
    while (next) {
      const page: request.Response = await request(api.app)
        .get('/v1/webhooks')
        .query({ page_size: 1, page_token: next })
        .set(alice.auth);
      all.push(...page.body.data.webhooks.map((w: { id: string }) => w.id));
      expect(JSON.stringify(page.body)).not.toMatch(/whsec_/);
      next = page.body.data.next_page_token;
    }
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]));

    // Bob sees none of it.
    expect((await request(api.app).get('/v1/webhooks').set(bob.auth)).body.data.webhooks).toEqual([]);
    expectError(await request(api.app).get(`/v1/webhooks/${a.id}`).set(bob.auth), 404, 'resource_not_found');
    expectError(
      await request(api.app).get(`/v1/webhooks/${a.id}/deliveries`).set(bob.auth),
      404,
      'resource_not_found',
    );
    expectError(
      await request(api.app).post(`/v1/webhooks/${a.id}/test`).set(bob.auth),
      404,
      'resource_not_found',
    );
    expectError(
      await request(api.app).delete(`/v1/webhooks/${a.id}`).set(bob.auth),
      404,
      'resource_not_found',
    );

    const deleted = await request(api.app).delete(`/v1/webhooks/${b.id}`).set(alice.auth);
    expect(deleted.status).toBe(200);
    expectError(
      await request(api.app).get(`/v1/webhooks/${b.id}`).set(alice.auth),
      404,
      'resource_not_found',
    );
  });
});

describe('delivery', () => {
  it('delivers every event of a migration exactly once by delivery id, after 500s, signed', async () => {
    const hook = await register(alice, '/migrations', [
      'migration.started',
      'migration.progress',
      'migration.completed',
      'migration.completed_with_errors',
      'migration.failed',
    ]);
    // Bob's endpoint must hear nothing of Alice's migration.
    await register(bob, '/bob', ['migration.started', 'migration.completed']);

    const src = await connect(alice, 'src');
    const dst = await connect(alice, 'dst');
    for (const name of ['a.txt', 'b.txt', 'c.txt']) fs.writeFileSync(path.join(src.root, name), name);
    const started = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: src.id, path: '/' },
        destination: { connection_id: dst.id, path: '/' },
      });
    expect(started.status).toBe(202);
    const migrationId = started.body.data.id as string;

    const { results, deliveries } = await settled(alice, hook.id, 2);
    expect(results).toEqual([
      { status: 'delivered', statusCode: 200 },
      { status: 'delivered', statusCode: 200 },
    ]);
    const mine = received.filter((r) => r.path === '/migrations');
    expect(mine.every((r) => r.verified)).toBe(true);
    // Each delivery: two 500s, then a 200; the same delivery id and the same bytes every time.
    const byDelivery = new Map<string, Received[]>();
    for (const r of mine) byDelivery.set(r.deliveryId, [...(byDelivery.get(r.deliveryId) ?? []), r]);
    expect(byDelivery.size).toBe(2);
    for (const attempts of byDelivery.values()) {
      expect(attempts.map((a) => a.answered)).toEqual([500, 500, 200]);
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    }
    const delivered = [...byDelivery.values()].map((a) => JSON.parse(a[2]!.body));
    expect(delivered.map((e) => e.type).sort()).toEqual(['migration.completed', 'migration.started']);
    const completed = delivered.find((e) => e.type === 'migration.completed');
    expect(completed).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      created_at: expect.any(String),
      data: { id: migrationId, status: 'completed', progress: { files_copied: 3 } },
    });
    expect(received.some((r) => r.path === '/bob')).toBe(false);

    // The deliveries list shows what happened.
    for (const d of deliveries) {
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null });
      expect(byDelivery.has(d.id as string)).toBe(true);
      const detail = await request(api.app).get(`/v1/webhooks/${hook.id}/deliveries/${d.id}`).set(alice.auth);
      expect(detail.body.data.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([
        500, 500, 200,
      ]);
      expect(detail.body.data.attempt_log[0].error).toBe('The receiver answered HTTP 500');
    }
  });

  it('stops retrying at a 4xx other than 429, and sends the test event through the same path', async () => {
    const hook = await register(alice, '/gone', ['migration.failed']);
    const res = await request(api.app).post(`/v1/webhooks/${hook.id}/test`).set(alice.auth);
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ event_type: 'webhook.test', status: 'pending', attempts: 0 });
    const result = await api.client.workflow.getHandle(webhookDeliveryWorkflowId(res.body.data.id)).result();
    expect(result).toEqual({ status: 'failed' });
    const got = received.filter((r) => r.deliveryId === res.body.data.id);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ eventType: 'webhook.test', verified: true, answered: 410 });
    const list = await request(api.app).get(`/v1/webhooks/${hook.id}/deliveries`).set(alice.auth);
    expect(list.body.data.deliveries).toEqual([
      expect.objectContaining({
        id: res.body.data.id,
        status: 'failed',
        attempts: 1,
        last_status_code: 410,
        last_error: expect.stringContaining('HTTP 410'),
        finished_at: expect.any(String),
      }),
    ]);
  });

  it('publishes an event once however often its publish is retried', async () => {
    const hook = await register(alice, '/once', ['sync.run_started']);
    const publisher = createWebhookPublisher({
      store: api.store,
      client: api.client,
      taskQueue: webhookTaskQueue(api.taskQueue),
      workflowTaskQueue: api.taskQueue, // as worker/main.ts: attempts on the webhook queue
      retryInitialSeconds: 0.5,
      attemptTimeoutSeconds: 5,
    });
    const event = {
      accountId: alice.id,
      type: 'sync.run_started' as const,
      data: { n: 1 },
      eventId: 'evt_RetriedPublish000001',
    };
    await publisher.publish(event);
    await publisher.publish({ ...event, data: { n: 2 } });
    const { deliveries } = await settled(alice, hook.id, 1);
    expect(deliveries).toHaveLength(1);
    const bodies = received.filter((r) => r.path === '/once').map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.id))).toEqual(new Set(['evt_RetriedPublish000001']));
    expect(bodies.every((b) => b.data.n === 1)).toBe(true);
  });
});
