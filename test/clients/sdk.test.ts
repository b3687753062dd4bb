// The TypeScript SDK and the TypeScript examples against a real `npm start -- --demo` stack.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import {
  AuthenticationError,
  InvalidParameterError,
  MigrateClouds,
  NotFoundError,
  RateLimitError,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type Migration,
} from '../../clients/typescript/src';
import { freePort } from '../helpers/supervisor';
import { ROOT, startDemoStack, type DemoStack } from './demo-stack';

jest.setTimeout(300_000);
const run = promisify(execFile);

let stack: DemoStack;
let client: MigrateClouds;

beforeAll(async () => {
  stack = await startDemoStack();
  client = new MigrateClouds({ apiKey: stack.key, baseUrl: stack.url });
});
afterAll(async () => {
  if (stack) expect(await stack.stop()).toBe(0);
});

describe('resources', () => {
  it('reads the account and manages API keys', async () => {
    const account = await client.account.get();
    expect(account).toMatchObject({ name: 'Development', plan: 'enterprise' });
    const created = await client.apiKeys.create({ name: 'sdk test', scope: 'read' });
    expect(created.key).toMatch(/^mc_/);
    expect((await client.apiKeys.list()).map((k) => k.id)).toContain(created.id);
    const readOnly = new MigrateClouds({ apiKey: created.key, baseUrl: stack.url });
    expect((await readOnly.account.get()).id).toBe(account.id);
    await client.apiKeys.revoke(created.id);
    await expect(readOnly.account.get()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('adds, reads and removes a connection', async () => {
    const root = path.join(stack.dataDir, 'files', 'sdk');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'hello.txt'), 'hello');
    const conn = await client.connections.create({ service: 'local', name: 'SDK local', config: { root } });
    expect((await client.connections.get(conn.id)).name).toBe('SDK local');
    const files = await client.files.list({ connectionId: conn.id, path: '/' }).toArray();
    expect(files.map((f) => [f.name, f.size])).toEqual([['hello.txt', 5]]);
    expect((await client.files.metadata({ connectionId: conn.id, path: '/hello.txt' })).size).toBe(5);
    await client.connections.delete(conn.id);
    await expect(client.connections.get(conn.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('walks every page of a listing with one iterator', async () => {
    const all = await client.files
      .list({ connectionId: stack.drive, path: '/', recursive: true, pageSize: 1000 })
      .toArray();
    const pages: number[] = [];
    for await (const page of client.files
      .list({ connectionId: stack.drive, path: '/', recursive: true, pageSize: 50 })
      .pages())
      pages.push(page.items.length);
    expect(pages.length).toBeGreaterThan(2);
    const iterated: string[] = [];
    for await (const f of client.files.list({
      connectionId: stack.drive,
      path: '/',
      recursive: true,
      pageSize: 50,
    }))
      iterated.push(f.id);
    expect(iterated).toEqual(all.map((f) => f.id));
    expect(all.filter((f) => f.type === 'file')).toHaveLength(296);
  });

  it('manages a sync', async () => {
    const sync = await client.syncs.create({
      source: { connection_id: stack.onedrive, path: '/' },
      destination: { connection_id: stack.dropbox, path: '/Sync from OneDrive' },
      schedule: { interval: '1h' },
      paused: true,
    });
    expect(sync.state).toBe('paused');
    expect((await client.syncs.resume(sync.id)).state).toBe('active');
    expect((await client.syncs.pause(sync.id)).state).toBe('paused');
    expect((await client.syncs.list().toArray()).map((s) => s.id)).toContain(sync.id);
    expect(await client.syncs.runs(sync.id).toArray()).toEqual([]);
    await client.syncs.delete(sync.id);
    await expect(client.syncs.get(sync.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('errors', () => {
  it('has one class per envelope code', async () => {
    const bad = new MigrateClouds({ apiKey: 'mc_notakey', baseUrl: stack.url });
    const auth = await bad.account.get().catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect(auth).toMatchObject({ code: 'authentication_error', status: 401 });
    expect((auth as AuthenticationError).requestId).toBeTruthy();

    const missing = await client.migrations.get('mig_doesnotexist').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: 'resource_not_found', status: 404 });

    const invalid = await client.files
      .list({ connectionId: stack.drive, path: '/', pageSize: 5000 })
      .toArray()
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidParameterError);
    expect(invalid).toMatchObject({ parameter: 'page_size', status: 400 });
    expect((invalid as InvalidParameterError).details).toBeTruthy();
  });

  it('waits out a 429 for its Retry-After, then retries; gives up after maxAttempts', async () => {
    const hits: number[] = [];
    const server = http.createServer((_req, res) => {
      hits.push(Date.now());
      if (hits.length % 2 === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({
            status: 'error',
            error: { code: 'rate_limit_exceeded', message: 'Slow down', details: 'Wait.' },
          }),
        );
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { id: 'acc_x', name: 'Tiny', plan: 'pro' } }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const retries: number[] = [];
      const patient = new MigrateClouds({
        apiKey: 'mc_x',
        baseUrl: url,
        retry: { onRetry: (i) => retries.push(i.waitSeconds) },
      });
      expect((await patient.account.get()).name).toBe('Tiny');
      expect(hits).toHaveLength(2);
      expect(retries).toEqual([1]);
      expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(990);

      const impatient = new MigrateClouds({ apiKey: 'mc_x', baseUrl: url, retry: { maxAttempts: 1 } });
      const err = await impatient.account.get().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitError);
      expect((err as RateLimitError).retryAfter).toBe(1);
      expect(hits).toHaveLength(3);
    } finally {
      server.close();
    }
  });
});

describe('migrations', () => {
  let finished: Migration;

  it('creates idempotently and waits with progress callbacks', async () => {
    const body = {
      source: { connection_id: stack.onedrive, path: '/' },
      destination: { connection_id: stack.dropbox, path: '/SDK copy' },
    };
    const first = await client.migrations.create(body, { idempotencyKey: 'sdk-test-1' });
    const again = await client.migrations.create(body, { idempotencyKey: 'sdk-test-1' });
    expect(again.id).toBe(first.id);
    const seen: Migration[] = [];
    finished = await client.waitForMigration(first.id, {
      pollInterval: 300,
      onProgress: (m) => void seen.push(m),
    });
    expect(finished.status).toBe('completed');
    expect(finished.progress.files_copied).toBe(56);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)!.status).toBe('completed');
    const ids = (await client.migrations.list().toArray()).map((m) => m.id);
    expect(ids.filter((id) => id === first.id)).toHaveLength(1);
    await expect(client.migrations.pause(first.id)).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('streams every item from the server in one request: the same items as the pages', async () => {
    const streamed = [];
    for await (const item of client.migrations.items.stream(finished.id)) streamed.push(item);
    const paged = await client.items.list(finished.id, { pageSize: 20 }).toArray();
    expect(streamed).toHaveLength(56);
    expect(streamed.map((i) => i.path)).toEqual(paged.map((i) => i.path));
    expect(streamed).toEqual(paged);
    expect(new Set(streamed.map((i) => i.status))).toEqual(new Set(['copied']));
    expect(await client.migrations.items.stream(finished.id, { status: 'failed' }).next()).toMatchObject({
      done: true,
    });
    const copied = [];
    for await (const item of client.migrations.items.stream(finished.id, { status: 'copied' }))
      copied.push(item.path);
    expect(copied).toEqual(paged.map((i) => i.path));
  });

  it('hands over the server’s CSV as a Node stream: its header, one row per item', async () => {
    const csv = await client.migrations.items.csv(finished.id);
    expect(csv).toBeInstanceOf(Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of csv) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('path,source_id,destination_path,note,size,status,reason,updated_at');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const paged = await client.items.list(finished.id, { pageSize: 1000 }).toArray();
    expect(rows.map((r) => r.path)).toEqual(paged.map((i) => i.path));
    expect(rows.map((r) => Number(r.size))).toEqual(paged.map((i) => i.size));
    const none = await client.migrations.items.download(finished.id, 'csv', { status: 'failed' });
    const noneText = (await none.toArray()).join('');
    expect(noneText.trim().split('\r\n')).toHaveLength(1);
  });

  it('refuses a bad status with the typed error naming it', async () => {
    const err = await client.migrations.items
      .stream(finished.id, { status: 'lost' as never })
      .next()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect(err).toMatchObject({ parameter: 'status', status: 400 });
  });

  it('reports counts equal to the migration’s own', async () => {
    const report = await client.migrations.report(finished.id);
    const p = finished.progress;
    expect(report).toMatchObject({
      migration_id: finished.id,
      status: 'completed',
      totals: { files: 56, copied: p.files_copied, skipped: p.files_skipped, failed: p.files_failed },
    });
    expect(report.totals.bytes).toBe(p.bytes_copied + p.bytes_skipped);
    expect(report.by_status.map((s) => [s.status, s.count])).toEqual([
      ['copied', p.files_copied],
      ['skipped', p.files_skipped],
      ['failed', p.files_failed],
      ['deleted', 0],
    ]);
    expect(report.by_status[0]!.bytes).toBe(p.bytes_copied);
    expect(report.by_reason).toEqual([]);
    expect(report.largest_failures).toEqual([]);
    await expect(client.migrations.report('mig_doesnotexist')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('webhooks', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({
    id: 'evt_1',
    type: 'migration.completed',
    created_at: '2025-01-01T00:00:00Z',
    data: {},
  });

  it('verifies a valid signature and refuses tampered and stale ones', () => {
    const header = signWebhook(secret, body);
    expect(verifyWebhook(secret, { 'MigrateClouds-Signature': header }, body).id).toBe('evt_1');
    expect(
      verifyWebhook(secret, new Headers({ 'migrateclouds-signature': header }), Buffer.from(body)).type,
    ).toBe('migration.completed');
    expect(() =>
      verifyWebhook(secret, { 'migrateclouds-signature': header }, body.replace('evt_1', 'evt_2')),
    ).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook('whsec_other', { 'migrateclouds-signature': header }, body)).toThrow(
      /does not match/,
    );
    const stale = signWebhook(secret, body, Math.floor(Date.now() / 1000) - 301);
    expect(() => verifyWebhook(secret, { 'migrateclouds-signature': stale }, body)).toThrow(/away from now/);
    expect(() => verifyWebhook(secret, {}, body)).toThrow(/No MigrateClouds-Signature/);
  });

  it('delivers a real signed event to the verify-webhook example', async () => {
    const port = await freePort();
    const hook = await client.webhooks.create({
      url: `http://127.0.0.1:${port}/hooks`,
      events: ['migration.completed'],
    });
    expect(hook.secret).toMatch(/^whsec_/);
    const receiver = spawn(
      process.execPath,
      [path.join(ROOT, 'dist/examples/typescript/verify-webhook.js')],
      {
        env: { ...process.env, MIGRATECLOUDS_WEBHOOK_SECRET: hook.secret, PORT: String(port) },
      },
    );
    let out = '';
    receiver.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => out.includes('listening'));
      // A forged delivery is refused, the real one verified.
      const forged = await fetch(`http://127.0.0.1:${port}/hooks`, {
        method: 'POST',
        headers: { 'migrateclouds-signature': signWebhook('whsec_wrong', body) },
        body,
      });
      expect(forged.status).toBe(400);
      await client.webhooks.test(hook.id);
      await until(() => out.includes('verified webhook.test'));
      await until(
        async () => (await client.webhooks.deliveries(hook.id).toArray())[0]?.status === 'delivered',
      );
      expect((await client.webhooks.list().toArray()).map((w) => w.id)).toContain(hook.id);
      await client.webhooks.delete(hook.id);
    } finally {
      receiver.kill('SIGTERM');
    }
  });
});

describe('examples', () => {
  const env = () => ({ ...process.env, MIGRATECLOUDS_API_KEY: stack.key, MIGRATECLOUDS_API_URL: stack.url });

  it('list-files lists the whole tree', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(ROOT, 'dist/examples/typescript/list-files.js'), stack.onedrive],
      {
        env: env(),
      },
    );
    expect(stdout).toMatch(/^56 files, \d+ bytes$/m);
  });

  it('start-and-watch-migration runs a migration to completion', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        path.join(ROOT, 'dist/examples/typescript/start-and-watch-migration.js'),
        stack.onedrive,
        stack.dropbox,
        '/Example',
      ],
      { env: env() },
    );
    expect(stdout).toMatch(/^started mig_/m);
    expect(stdout).toMatch(/finished mig_\w+: completed, 56 copied/);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
