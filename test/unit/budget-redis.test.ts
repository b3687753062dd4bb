// Budgets in Redis as several workers see them: two processes' budgets (own clients) share one
// bucket per connection, keys expire, a pause reaches everyone, and a Redis outage degrades to
// per-process budgets instead of failing requests.
import Redis from 'ioredis';
import { randomBase62 } from '../../common/ids';
import { createRedisBudgets, type RequestBudgets } from '../../connectors/budget';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl && process.env.CI === 'true') {
  it('has REDIS_URL for the shared budget tests (required in CI)', () => {
    throw new Error('REDIS_URL is not set: the shared budget tests cannot run');
  });
} else if (!redisUrl) {
  console.warn('REDIS_URL is not set: skipping the shared budget tests');
}

(redisUrl ? describe : describe.skip)('request budgets shared through Redis', () => {
  const keyPrefix = `mc:test:budget-shared:${randomBase62(10)}`;
  let admin: Redis;
  let workers: RequestBudgets[];

  beforeAll(async () => {
    admin = new Redis(redisUrl!, { lazyConnect: true });
    await admin.connect();
    // Two "workers": each its own budgets object and its own Redis connection.
    workers = [0, 1].map(() => createRedisBudgets({ redisUrl, keyPrefix }));
  });
  afterAll(async () => {
    await Promise.all((workers ?? []).map((w) => w.close()));
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
  });

  it('keeps two workers together under the connection’s rate', async () => {
    const rate = 40;
    const total = 80;
    const grants: number[] = [];
    const started = Date.now();
    // Three concurrent callers on each worker, all drawing on the same connection.
    const caller = async (budgets: RequestBudgets) => {
      while (grants.length < total) {
        await budgets.acquire('conn_shared', rate);
        grants.push(Date.now() - started);
      }
    };
    await Promise.all(workers.flatMap((w) => [caller(w), caller(w), caller(w)]));
    const burst = rate * 0.5;
    // (total − burst) / rate seconds at least; and not much more, or the budget would waste quota.
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(((grants.length - burst - 1) / rate) * 1000);
    expect(elapsed).toBeLessThan(((grants.length - burst) / rate) * 1000 + 600);
    // In every window, no more than the burst plus the rate times the window (+1 for the edges).
    for (const from of grants) {
      for (const width of [100, 250, 500, 1000]) {
        const inWindow = grants.filter((g) => g >= from && g < from + width).length;
        expect(inWindow).toBeLessThanOrEqual(burst + (rate * width) / 1000 + 1);
      }
    }
    const ttl = await admin.pttl(`${keyPrefix}:conn_shared`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  });

  it('pauses every worker when one of them is throttled, and shares the lowered rate', async () => {
    const [a, b] = workers as [RequestBudgets, RequestBudgets];
    expect(await a.onThrottled('conn_paused', 10, 400)).toBe(400);
    expect(await b.inspect('conn_paused', 10)).toMatchObject({ rate: 5, strikes: 1 });
    const started = Date.now();
    await b.acquire('conn_paused', 10);
    // The pause, then one token at the halved rate (200 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    await b.onSuccess('conn_paused', 10);
    expect(await a.inspect('conn_paused', 10)).toMatchObject({ rate: 5.1, strikes: 0 });
  });

  it('falls back to a per-process budget while Redis is unreachable', async () => {
    // A client whose connection is closed: every command fails at once.
    const offline = new Redis(redisUrl!, { lazyConnect: true });
    await offline.connect();
    offline.disconnect();
    const budgets = createRedisBudgets({ redis: offline, keyPrefix });
    const started = Date.now();
    for (let i = 0; i < 7; i++) await budgets.acquire('conn_offline', 10);
    // Still paced: 5 at once, then 100 ms apiece.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(await budgets.onThrottled('conn_offline', 10)).toBe(1_000);
  });
});
