// The request budget's arithmetic on a fake clock, once in memory and once in Redis (same suite):
// the rate over time, pauses, and AIMD (halving on throttling, additive climb back on success).
import Redis from 'ioredis';
import { randomBase62 } from '../../common/ids';
import {
  createMemoryBudgets,
  createRedisBudgets,
  type BudgetOptions,
  type RequestBudgets,
} from '../../connectors/budget';
import { appGate } from '../../connectors/budgeted';
import type { RequestGate } from '../../connectors/cloud';
import { serviceDefinition } from '../../connectors/registry';
import { loadConfig } from '../../config';

/** Virtual time: sleeping advances the clock instead of waiting. */
function fakeClock(start = 1_700_000_000_000) {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

const redisUrl = process.env.REDIS_URL;
if (!redisUrl && process.env.CI === 'true') {
  it('has REDIS_URL for the Redis budget tests (required in CI)', () => {
    throw new Error('REDIS_URL is not set: the Redis budget tests cannot run');
  });
}

let redis: Redis | undefined;
const keyPrefix = `mc:test:budget:${randomBase62(10)}`;
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${keyPrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

type Make = (options: BudgetOptions) => Promise<RequestBudgets>;
const stores: [string, Make][] = [['memory', async (o) => createMemoryBudgets(o)]];
if (redisUrl) {
  stores.push([
    'redis',
    async (o) => {
      if (!redis) {
        redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis.connect();
      }
      // A fresh prefix per budgets object: each test starts from empty buckets.
      return createRedisBudgets({ ...o, redis, keyPrefix: `${keyPrefix}:${randomBase62(6)}` });
    },
  ]);
}

describe.each(stores)('request budget (%s)', (_name, make) => {
  let clock: ReturnType<typeof fakeClock>;
  let budgets: RequestBudgets;
  beforeEach(async () => {
    clock = fakeClock();
    budgets = await make({ now: clock.now, sleep: clock.sleep });
  });

  /** Virtual milliseconds `n` acquisitions take. */
  async function timeOf(n: number, id = 'conn_a', rate = 10): Promise<number> {
    const start = clock.t;
    for (let i = 0; i < n; i++) await budgets.acquire(id, rate);
    return clock.t - start;
  }

  it('lets half a second of burst through, then exactly the rate', async () => {
    expect(await timeOf(5)).toBe(0); // burst: 0.5 s × 10/s
    expect(await timeOf(50)).toBe(5_000);
    // Connections do not share budgets.
    expect(await timeOf(5, 'conn_b')).toBe(0);
    // A rate of 0 is no budget at all.
    expect(await timeOf(1000, 'conn_local', 0)).toBe(0);
  });

  it('refills while idle, but never beyond the burst', async () => {
    await timeOf(5);
    clock.t += 60_000;
    expect(await timeOf(5)).toBe(0);
    expect(await timeOf(1)).toBe(100);
  });

  it('holds the connection during a pause, then resumes from an empty bucket', async () => {
    await budgets.pause('conn_a', 3_000);
    expect(await budgets.inspect('conn_a', 10)).toMatchObject({ pausedForMs: 3_000, tokens: 0 });
    expect(await timeOf(1)).toBe(3_100);
    expect(await timeOf(10)).toBe(1_000);
    // A shorter pause never shortens a longer one.
    await budgets.pause('conn_a', 5_000);
    await budgets.pause('conn_a', 1_000);
    expect((await budgets.inspect('conn_a', 10)).pausedForMs).toBe(5_000);
  });

  it('halves the rate once per throttling episode and backs off exponentially without Retry-After', async () => {
    expect(await budgets.onThrottled('conn_a', 10)).toBe(1_000);
    expect(await budgets.inspect('conn_a', 10)).toMatchObject({ rate: 5, strikes: 1, pausedForMs: 1_000 });
    // Answers to requests already in flight belong to the same episode: no second cut.
    expect(await budgets.onThrottled('conn_a', 10)).toBe(1_000);
    expect(await budgets.inspect('conn_a', 10)).toMatchObject({ rate: 5, strikes: 1 });

    clock.t += 1_000;
    expect(await budgets.onThrottled('conn_a', 10)).toBe(2_000);
    clock.t += 2_000;
    expect(await budgets.onThrottled('conn_a', 10)).toBe(4_000);
    expect(await budgets.inspect('conn_a', 10)).toMatchObject({ rate: 1.25, strikes: 3 });
    // The provider's Retry-After wins over the backoff.
    clock.t += 4_000;
    expect(await budgets.onThrottled('conn_a', 10, 7_000)).toBe(7_000);
    clock.t += 7_000;
    for (let i = 0; i < 5; i++) {
      await budgets.onThrottled('conn_a', 10, 0);
    }
    expect((await budgets.inspect('conn_a', 10)).rate).toBe(0.5); // the floor
  });

  it('paces at the lowered rate, and climbs back additively on success', async () => {
    await budgets.onThrottled('conn_a', 10, 0);
    expect((await budgets.inspect('conn_a', 10)).rate).toBe(5);
    await timeOf(3); // the bucket refills from empty after the pause, at 5/s
    expect(await timeOf(10)).toBe(2_000);

    await budgets.onSuccess('conn_a', 10);
    expect(await budgets.inspect('conn_a', 10)).toMatchObject({ rate: 5.1, strikes: 0 });
    for (let i = 0; i < 20; i++) await budgets.onSuccess('conn_a', 10);
    expect((await budgets.inspect('conn_a', 10)).rate).toBeCloseTo(7.1, 5);
    for (let i = 0; i < 100; i++) await budgets.onSuccess('conn_a', 10);
    expect((await budgets.inspect('conn_a', 10)).rate).toBe(10); // never above the configured rate
  });

  it('resets the backoff after a success', async () => {
    await budgets.onThrottled('conn_a', 10);
    clock.t += 1_000;
    expect(await budgets.onThrottled('conn_a', 10)).toBe(2_000);
    clock.t += 2_000;
    await budgets.onSuccess('conn_a', 10);
    expect(await budgets.onThrottled('conn_a', 10)).toBe(1_000);
  });

  it('follows a lowered configured rate at once', async () => {
    await timeOf(5);
    expect(await timeOf(4, 'conn_a', 2)).toBe(2_000);
  });
});

describe.each(stores)('request budget waits (%s, real clock)', (_name, make) => {
  it('stops waiting as soon as the signal aborts', async () => {
    const budgets = await make({});
    await budgets.pause('conn_a', 60_000);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await expect(budgets.acquire('conn_a', 10, controller.signal)).rejects.toThrow('cancelled by test');
    expect(Date.now() - started).toBeLessThan(1_000);
    await budgets.close();
  });
});

describe.each(stores)("a provider app's budget, shared by every account (%s)", (_name, make) => {
  let clock: ReturnType<typeof fakeClock>;
  let budgets: RequestBudgets;
  beforeEach(async () => {
    clock = fakeClock();
    budgets = await make({ now: clock.now, sleep: clock.sleep });
  });
  const gate = (accountId: string, share: number) =>
    appGate(budgets, { service: 'google_drive', accountId, rate: 10, share })!;
  /** Virtual milliseconds the requests take, sent one after the other through their gates. */
  async function timeOf(gates: RequestGate[]): Promise<number> {
    const start = clock.t;
    for (const g of gates) expect(await g(async () => 'sent')).toBe('sent');
    return clock.t - start;
  }

  it('holds one account to its share of the app, and every account together to the app', async () => {
    // Alone, an account gets half the app's 10/s: 50 requests take about 10 s, not 5.
    const alone = await timeOf(Array.from({ length: 50 }, () => gate('acc_a', 0.5)));
    expect(alone).toBeGreaterThanOrEqual(9_000);
    expect(alone).toBeLessThanOrEqual(10_000);
    // Two accounts side by side share the app's 10/s: 100 requests take about 10 s.
    const both = await timeOf(Array.from({ length: 100 }, (_, i) => gate(i % 2 ? 'acc_b' : 'acc_c', 0.5)));
    expect(both).toBeGreaterThanOrEqual(9_000);
    expect(both).toBeLessThanOrEqual(10_500);
    // A share of 1 lets one account use all of it.
    const whole = await timeOf(Array.from({ length: 50 }, () => gate('acc_d', 1)));
    expect(whole).toBeGreaterThanOrEqual(4_000);
    expect(whole).toBeLessThanOrEqual(5_500);
  });

  it('is no gate at all when the app has no budget', () => {
    expect(appGate(budgets, { service: 'dropbox', accountId: 'acc_a', rate: 0, share: 0.5 })).toBeUndefined();
  });
});

describe("the app budget's settings", () => {
  it("reads each OAuth service's app rate and the account share from the environment", () => {
    const config = loadConfig({
      GOOGLE_DRIVE_APP_REQUESTS_PER_SECOND: '12',
      DROPBOX_APP_REQUESTS_PER_SECOND: '7',
      MIGRATECLOUDS_APP_ACCOUNT_SHARE: '0.25',
    });
    expect(serviceDefinition('google_drive').appRequestsPerSecond?.(config.services.google_drive)).toBe(12);
    expect(serviceDefinition('dropbox').appRequestsPerSecond?.(config.services.dropbox)).toBe(7);
    expect(serviceDefinition('onedrive').appRequestsPerSecond?.(config.services.onedrive)).toBe(0);
    expect(config.MIGRATECLOUDS_APP_ACCOUNT_SHARE).toBe(0.25);
    expect(() => loadConfig({ MIGRATECLOUDS_APP_ACCOUNT_SHARE: '0' })).toThrow(
      /MIGRATECLOUDS_APP_ACCOUNT_SHARE/,
    );
  });
});
