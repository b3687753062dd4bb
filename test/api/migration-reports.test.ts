// Reports over HTTP: every item of a migration streamed as CSV or NDJSON (equal to the JSON pages, one
// request against the rate limit, bounded memory, backpressure, stopping when the client goes away), and
// the summary report. Items are recorded straight through the store, as the copy activities do.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse } from 'csv-parse/sync';
import { completeOptions } from '../../contract';
import type { MigrationItemOutcome } from '../../store';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

type Item = Record<string, string | number | null>;

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let small: string;

const TRICKY = '/src/=HYPERLINK("x"), a "quote"\nand a line.txt';
const COLUMNS = ['path', 'source_id', 'destination_path', 'note', 'size', 'status', 'reason', 'updated_at'];

const outcome = (n: number): MigrationItemOutcome => {
  const status = (['copied', 'copied', 'skipped', 'failed'] as const)[n % 4];
  return {
    sourcePath: n === 7 ? TRICKY : n === 8 ? '+plus,@at\t-minus' : `/src/d${n % 10}/f${n}.txt`,
    sourceId: n === 7 ? '-1fzxDriveId' : n % 5 === 0 ? null : `id${n}`,
    destinationPath: `/dst/d${n % 10}/f${n}.txt`,
    size: n % 7 === 0 ? null : 1000 * n,
    status,
    reason:
      status === 'failed'
        ? `The source file no longer exists: /src/d${n % 10}/f${n}.txt`
        : status === 'skipped'
          ? 'A file with this name already exists at the destination (conflict: "skip")'
          : null,
    note: n % 9 === 0 ? 'Exported as DOCX' : null,
  };
};

async function newMigration(accountId: string, items: MigrationItemOutcome[]): Promise<string> {
  const m = await api.store.migrations.create({
    accountId,
    source: { connectionId: 'conn_a', service: 'local', path: '/src' },
    destination: { connectionId: 'conn_b', service: 'local', path: '/dst' },
    options: completeOptions({}),
  });
  for (let i = 0; i < items.length; i += 2000) {
    await api.store.items.record(accountId, m.id, items.slice(i, i + 2000));
  }
  return m.id;
}

async function jsonItems(id: string, status?: string): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | null = null;
  do {
    const res = await request(api.app)
      .get(`/v1/migrations/${id}/items`)
      .query({ page_size: 1000, ...(status && { status }), ...(token && { page_token: token }) })
      .set(alice.auth);
    expect(res.status).toBe(200);
    const body = res.body as { data: { items: Item[]; next_page_token: string | null } };
    items.push(...body.data.items);
    token = body.data.next_page_token;
  } while (token);
  return items;
}

/** What the CSV must hold for a JSON item: text, empty for null, formulas defused with a quote. */
const csvCell = (v: string | number | null): string => {
  const text = v === null ? '' : String(v);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

const getText = (path: string, headers: Record<string, string> = {}) =>
  request(api.app)
    .get(path)
    .set({ ...alice.auth, ...headers })
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => done(null, text));
    });

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account();
  bob = await api.account('pro', 'Bob');
  small = await newMigration(
    alice.id,
    Array.from({ length: 2500 }, (_, n) => outcome(n)),
  );
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

describe('GET /v1/migrations/:id/items as a stream', () => {
  it('answers CSV equal to every JSON item, quoted per RFC 4180 and with formulas defused', async () => {
    const res = await getText(`/v1/migrations/${small}/items?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="migration-${small}-items.csv"`);
    const text = res.body as string;
    expect(text.startsWith(`${COLUMNS.join(',')}\r\n`)).toBe(true);
    // The tricky name: quoted (comma, quote, line break) with its quotes doubled; cells that start as a
    // formula would (a Drive id may start with "-") get a leading quote.
    expect(text).toContain(`"/src/=HYPERLINK(""x""), a ""quote""\nand a line.txt",'-1fzxDriveId,`);
    expect(text).toContain(`"'+plus,@at\t-minus"`);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const items = await jsonItems(small);
    expect(items).toHaveLength(2500);
    expect(rows).toEqual(items.map((i) => Object.fromEntries(COLUMNS.map((c) => [c, csvCell(i[c]!)]))));
  });

  it('answers NDJSON of exactly the JSON items, one per line', async () => {
    const res = await getText(`/v1/migrations/${small}/items?format=ndjson`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="migration-${small}-items.ndjson"`);
    const lines = (res.body as string).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as Item)).toEqual(await jsonItems(small));
  });

  it('honours the status filter', async () => {
    const res = await getText(`/v1/migrations/${small}/items?format=ndjson&status=failed`);
    const items = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Item);
    expect(items).toHaveLength(625);
    expect(items).toEqual(await jsonItems(small, 'failed'));
    const csv = await getText(`/v1/migrations/${small}/items?format=csv&status=skipped`);
    expect(parse(csv.body as string, { columns: true })).toHaveLength(625);
  });

  it('streams an empty CSV as its header alone', async () => {
    const id = await newMigration(alice.id, []);
    const res = await getText(`/v1/migrations/${id}/items?format=csv`);
    expect(res.body).toBe(`${COLUMNS.join(',')}\r\n`);
  });

  it('follows Accept, and format wins over it', async () => {
    const type = async (query: string, accept?: string) =>
      (await getText(`/v1/migrations/${small}/items${query}`, accept ? { Accept: accept } : {})).headers[
        'content-type'
      ];
    expect(await type('', 'text/csv')).toBe('text/csv; charset=utf-8');
    expect(await type('', 'application/x-ndjson')).toBe('application/x-ndjson');
    expect(await type('', 'application/json;q=0.5, text/csv')).toBe('text/csv; charset=utf-8');
    expect(await type('', '*/*')).toMatch(/^application\/json/);
    expect(await type('')).toMatch(/^application\/json/);
    expect(await type('?format=ndjson', 'text/csv')).toBe('application/x-ndjson');
    expect(await type('?format=json', 'text/csv')).toMatch(/^application\/json/);
  });

  it('refuses a bad format, and page_size or page_token with a stream format', async () => {
    const bad = await request(api.app).get(`/v1/migrations/${small}/items?format=xlsx`).set(alice.auth);
    expectError(
      bad,
      400,
      'invalid_parameter',
      "Invalid parameter 'format': must be one of: json, csv, ndjson",
    );
    const token = await request(api.app).get(`/v1/migrations/${small}/items?page_size=1`).set(alice.auth);
    const next = (token.body as { data: { next_page_token: string } }).data.next_page_token;
    const withToken = await request(api.app)
      .get(`/v1/migrations/${small}/items?format=csv&page_token=${next}`)
      .set(alice.auth);
    expectError(withToken, 400, 'invalid_parameter', /^Invalid parameter 'page_token': cannot be used/);
    const withSize = await request(api.app)
      .get(`/v1/migrations/${small}/items?page_size=10`)
      .set({ ...alice.auth, Accept: 'application/x-ndjson' });
    expectError(withSize, 400, 'invalid_parameter', /^Invalid parameter 'page_size': cannot be used/);
  });

  it('counts as one request against the rate limit', async () => {
    const before = await request(api.app).get('/v1/account').set(alice.auth);
    const remaining = Number(before.headers['x-ratelimit-remaining']);
    const res = await getText(`/v1/migrations/${small}/items?format=csv`);
    expect(Number(res.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
    const after = await request(api.app).get('/v1/account').set(alice.auth);
    expect(Number(after.headers['x-ratelimit-remaining'])).toBe(remaining - 2);
  });

  it('answers 404 for another account’s migration, before any byte of a stream', async () => {
    const res = await request(api.app).get(`/v1/migrations/${small}/items?format=csv`).set(bob.auth);
    expectError(res, 404, 'resource_not_found');
    expect(res.headers['content-disposition']).toBeUndefined();
    expectError(
      await request(api.app).get(`/v1/migrations/${small}/report`).set(bob.auth),
      404,
      'resource_not_found',
    );
  });
});

describe('streaming a large migration over a real socket', () => {
  const COUNT = 20_000;
  const LONG = 'x'.repeat(900);
  let large: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    // ~2 KB per item: 20,000 items make a 40 MB answer, far more than the socket buffers hold.
    large = await newMigration(
      alice.id,
      Array.from({ length: COUNT }, (_, n) => ({
        ...outcome(n + 100),
        sourcePath: `/src/${LONG}/f${n}.txt`,
        destinationPath: `/dst/${LONG}/f${n}.txt`,
      })),
    );
    server = http.createServer(api.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = (format: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`${base}/v1/migrations/${large}/items?format=${format}`, { headers: alice.auth }, resolve)
        .on('error', reject),
    );
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('streams every item with bounded memory', async () => {
    // Live memory, not garbage waiting for a collection: collect before each sample.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const live = () => (gc(), process.memoryUsage().heapUsed);
    const baseline = live();
    let peak = baseline;
    let samples = 0;
    const res = await open('ndjson');
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      // A sample every 2 MB received, while the server is mid-stream.
      if (Math.floor((bytes + chunk.length) / 2 ** 21) > Math.floor(bytes / 2 ** 21)) {
        peak = Math.max(peak, live());
        samples++;
      }
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const growthMb = (peak - baseline) / 2 ** 20;
    console.log(
      `streamed ${lines} items, ${(bytes / 2 ** 20).toFixed(1)} MB; live heap grew at most ` +
        `${growthMb.toFixed(1)} MB over ${samples} samples`,
    );
    expect(samples).toBeGreaterThanOrEqual(15);
    expect(lines).toBe(COUNT);
    expect(bytes).toBeGreaterThan(38 * 2 ** 20);
    // The whole answer held in memory would take its size and more (the items as objects besides); a
    // page of 1,000 items (2 MB of text, their objects) and the socket's buffers are what may be live.
    expect(growthMb).toBeLessThan(12);
  });

  it('reads no further than the client takes (backpressure), then finishes', async () => {
    const list = jest.spyOn(api.store.items, 'list');
    try {
      const res = await open('csv');
      res.pause();
      await sleep(1500);
      const whilePaused = list.mock.calls.length;
      await sleep(500);
      // Stalled: no page read in the last half second, and far from the 20 pages of the whole answer.
      expect(list.mock.calls.length).toBe(whilePaused);
      expect(whilePaused).toBeLessThan(10);
      let rows = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) for (const b of chunk) if (b === 10) rows++;
      expect(rows).toBe(COUNT + 1);
      expect(list.mock.calls.length).toBe(20);
    } finally {
      list.mockRestore();
    }
  });

  it('stops reading when the client goes away', async () => {
    const list = jest.spyOn(api.store.items, 'list');
    try {
      const res = await open('csv');
      await new Promise((resolve) => res.once('data', resolve));
      res.destroy();
      await sleep(1000);
      const after = list.mock.calls.length;
      await sleep(500);
      expect(list.mock.calls.length).toBe(after);
      expect(after).toBeLessThan(10);
    } finally {
      list.mockRestore();
    }
  });
});

describe('a store failing mid-stream', () => {
  it('cuts the connection: the client sees an incomplete body, never a clean end', async () => {
    const own = await createTestApi();
    const server = http.createServer(own.app);
    try {
      const owner = await own.account();
      const m = await own.store.migrations.create({
        accountId: owner.id,
        source: { connectionId: 'conn_a', service: 'local', path: '/src' },
        destination: { connectionId: 'conn_b', service: 'local', path: '/dst' },
        options: completeOptions({}),
      });
      const long = 'y'.repeat(2000);
      await own.store.items.record(
        owner.id,
        m.id,
        Array.from({ length: 6000 }, (_, n) => ({ ...outcome(n), sourcePath: `/src/${long}/${n}` })),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<http.IncomingMessage>((resolve) =>
        http.get(
          `http://127.0.0.1:${port}/v1/migrations/${m.id}/items?format=ndjson`,
          { headers: owner.auth },
          resolve,
        ),
      );
      expect(res.statusCode).toBe(200);
      res.pause();
      await new Promise((r) => setTimeout(r, 300));
      await own.store.close(); // the next page's read fails
      let lines = 0;
      const read = (async () => {
        for await (const chunk of res as AsyncIterable<Buffer>) for (const b of chunk) if (b === 10) lines++;
      })();
      await expect(read).rejects.toThrow(/aborted/);
      expect(lines).toBeGreaterThan(0);
      expect(lines).toBeLessThan(6000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await own.close().catch(() => undefined);
    }
  });
});

describe('GET /v1/migrations/:id/report', () => {
  it('counts by status and reason, with the largest failures', async () => {
    const res = await request(api.app).get(`/v1/migrations/${small}/report`).set(alice.auth);
    expect(res.status).toBe(200);
    const data = (res.body as { data: Record<string, unknown> }).data;
    // n % 4: 0,1 copied; 2 skipped; 3 failed. Sizes 1000·n, unknown when n % 7 == 0.
    const sum = (pick: (n: number) => boolean) =>
      Array.from({ length: 2500 }, (_, n) => n)
        .filter((n) => pick(n) && n % 7 !== 0)
        .reduce((s, n) => s + 1000 * n, 0);
    expect(data).toEqual({
      migration_id: small,
      status: 'pending',
      started_at: null,
      finished_at: null,
      totals: {
        files: 2500,
        bytes: sum(() => true),
        copied: 1250,
        skipped: 625,
        failed: 625,
        deleted: 0,
      },
      by_status: [
        { status: 'copied', count: 1250, bytes: sum((n) => n % 4 < 2) },
        { status: 'skipped', count: 625, bytes: sum((n) => n % 4 === 2) },
        { status: 'failed', count: 625, bytes: sum((n) => n % 4 === 3) },
        { status: 'deleted', count: 0, bytes: 0 },
      ],
      by_reason: [
        {
          status: 'failed',
          reason: 'The source file no longer exists: <path>',
          count: 625,
          bytes: sum((n) => n % 4 === 3),
          example: 'The source file no longer exists: /src/d1/f1011.txt',
        },
        {
          status: 'skipped',
          reason: 'A file with this name already exists at the destination (conflict: "skip")',
          count: 625,
          bytes: sum((n) => n % 4 === 2),
          example: 'A file with this name already exists at the destination (conflict: "skip")',
        },
      ],
      largest_failures: Array.from({ length: 2500 }, (_, i) => 2499 - i)
        .filter((n) => n % 4 === 3 && n % 7 !== 0)
        .slice(0, 20)
        .map((n) => ({
          path: `/src/d${n % 10}/f${n}.txt`,
          destination_path: `/dst/d${n % 10}/f${n}.txt`,
          size: 1000 * n,
          reason: `The source file no longer exists: /src/d${n % 10}/f${n}.txt`,
        })),
    });
  });
});
