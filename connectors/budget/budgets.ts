// RequestBudgets over a store of bucket states (memory or Redis): the waiting lives here, the
// arithmetic in the store, so every process sharing a store shares the budget.
import { emptyBucket, inspect, pause, succeeded, take, throttled, type BucketState } from './bucket';
import {
  DEFAULT_TUNING,
  type BudgetOptions,
  type BudgetState,
  type BudgetTuning,
  type RequestBudgets,
} from './types';

/** Atomic operations on one connection's bucket. */
export interface BucketStore {
  /** 0 when a token was taken, else milliseconds to wait. */
  take(id: string, ceiling: number): Promise<number>;
  pause(id: string, ms: number): Promise<void>;
  throttled(id: string, ceiling: number, retryAfterMs?: number): Promise<number>;
  success(id: string, ceiling: number): Promise<void>;
  inspect(id: string, ceiling: number): Promise<BudgetState>;
  close(): Promise<void>;
}

export const tuningOf = (options: BudgetOptions): BudgetTuning => ({ ...DEFAULT_TUNING, ...options.tuning });

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A rate of 0 (or less) means no budget: every call returns at once. */
export function createBudgets(store: BucketStore, options: BudgetOptions = {}): RequestBudgets {
  const sleep = options.sleep ?? abortableSleep;
  return {
    async acquire(id, rate, signal) {
      if (!(rate > 0)) return;
      for (;;) {
        signal?.throwIfAborted();
        const wait = await store.take(id, rate);
        if (wait <= 0) return;
        await sleep(wait, signal);
      }
    },
    pause: (id, ms) => (ms > 0 ? store.pause(id, ms) : Promise.resolve()),
    onThrottled: async (id, rate, retryAfterMs) => (rate > 0 ? store.throttled(id, rate, retryAfterMs) : 0),
    onSuccess: async (id, rate) => (rate > 0 ? store.success(id, rate) : undefined),
    inspect: (id, rate) => store.inspect(id, rate),
    close: () => store.close(),
  };
}

const IDLE_MS = 10 * 60_000;

/** Bucket states in this process's memory (idle ones are forgotten after ten minutes). */
export function memoryBucketStore(options: BudgetOptions = {}): BucketStore {
  const t = tuningOf(options);
  const now = options.now ?? Date.now;
  const buckets = new Map<string, BucketState>();
  const bucket = (id: string) => {
    let s = buckets.get(id);
    if (!s) {
      if (buckets.size >= 1000) sweep(now());
      s = emptyBucket();
      buckets.set(id, s);
    }
    return s;
  };
  const sweep = (at: number) => {
    for (const [id, s] of buckets) if (Math.max(s.ts, s.until) + IDLE_MS < at) buckets.delete(id);
  };
  return {
    take: async (id, ceiling) => take(bucket(id), now(), ceiling, t),
    pause: async (id, ms) => pause(bucket(id), now(), ms),
    throttled: async (id, ceiling, retryAfterMs) => throttled(bucket(id), now(), ceiling, t, retryAfterMs),
    success: async (id, ceiling) => succeeded(bucket(id), ceiling, t),
    inspect: async (id, ceiling) => inspect(buckets.get(id) ?? emptyBucket(), now(), ceiling, t),
    close: async () => buckets.clear(),
  };
}

export const createMemoryBudgets = (options: BudgetOptions = {}): RequestBudgets =>
  createBudgets(memoryBucketStore(options), options);
