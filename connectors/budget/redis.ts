// The budget in Redis, shared by every worker and API process: bucket states live in hashes keyed by
// connection id (expiring when idle) and change only through one Lua script. If Redis fails, each
// process falls back to its own memory budget (and says so in the log) rather than failing transfers.
import Redis from 'ioredis';
import type { Logger } from '../../common/logger';
import { createBudgets, memoryBucketStore, tuningOf, type BucketStore } from './budgets';
import { BUDGET_SCRIPT } from './redis-script';
import type { BudgetOptions, RequestBudgets } from './types';

export interface RedisBudgetOptions extends BudgetOptions {
  redisUrl?: string;
  /** An existing client (not closed by `close()`); wins over `redisUrl`. */
  redis?: Redis;
  /** Prefix of the keys (tests use a unique one). Default "mc:budget". */
  keyPrefix?: string;
  /** Idle buckets expire after this long. Default ten minutes. */
  ttlMs?: number;
  logger?: Logger;
}

type ScriptClient = Redis & { mcBudget(key: string, ...args: string[]): Promise<unknown> };

export function createRedisBudgets(options: RedisBudgetOptions): RequestBudgets {
  const own = options.redis ? undefined : new Redis(options.redisUrl!, { maxRetriesPerRequest: 1 });
  const redis = (options.redis ?? own)! as ScriptClient;
  if (typeof redis.mcBudget !== 'function') {
    redis.defineCommand('mcBudget', { numberOfKeys: 1, lua: BUDGET_SCRIPT });
  }
  const t = tuningOf(options);
  const prefix = options.keyPrefix ?? 'mc:budget';
  const ttl = String(options.ttlMs ?? 10 * 60_000);
  const fallback = memoryBucketStore(options);
  let lastWarning = 0;
  const warn = (err: unknown) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    const message = err instanceof Error ? err.message : String(err);
    options.logger?.warn({ err: message }, 'request budget store unavailable; using per-process budgets');
  };
  own?.on('error', warn);

  const tuning = [t.burstSeconds, t.decrease, t.increase, t.minRate, t.backoffBaseMs, t.backoffMaxMs];
  const script = (op: string, id: string, ceiling: number, arg?: number) =>
    redis.mcBudget(
      `${prefix}:${id}`,
      op,
      options.now ? String(options.now()) : '',
      String(ceiling),
      arg === undefined ? '' : String(arg),
      ttl,
      ...tuning.map(String),
    );
  /** The shared answer, or this process's own when Redis fails. */
  async function guarded<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      return await shared();
    } catch (err) {
      warn(err);
      return local();
    }
  }

  const store: BucketStore = {
    take: (id, ceiling) =>
      guarded(
        async () => Number(await script('take', id, ceiling)),
        () => fallback.take(id, ceiling),
      ),
    pause: (id, ms) =>
      guarded(
        async () => void (await script('pause', id, 0, ms)),
        () => fallback.pause(id, ms),
      ),
    throttled: (id, ceiling, retryAfterMs) =>
      guarded(
        async () => Number(await script('throttled', id, ceiling, retryAfterMs)),
        () => fallback.throttled(id, ceiling, retryAfterMs),
      ),
    success: (id, ceiling) =>
      guarded(
        async () => void (await script('success', id, ceiling)),
        () => fallback.success(id, ceiling),
      ),
    inspect: (id, ceiling) =>
      guarded(
        async () => {
          const [rate, tokens, pausedForMs, strikes] = (
            (await script('inspect', id, ceiling)) as string[]
          ).map(Number);
          return { rate: rate!, tokens: tokens!, pausedForMs: pausedForMs!, strikes: strikes! };
        },
        () => fallback.inspect(id, ceiling),
      ),
    async close() {
      own?.disconnect();
    },
  };
  return createBudgets(store, options);
}
