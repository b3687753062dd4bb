// The budget's arithmetic on one connection's state, in memory. redis-script.ts is the same logic in
// Lua, so both stores behave alike (the tests run one suite against each).
import type { BudgetState, BudgetTuning } from './types';

export interface BucketState {
  /** null until first used: the bucket starts full. */
  tokens: number | null;
  /** When `tokens` was last refilled (ms); may lie in the future while paused. */
  ts: number;
  /** The adapted rate; null means the configured one. */
  rate: number | null;
  /** Paused until then (ms). */
  until: number;
  strikes: number;
}

export const emptyBucket = (): BucketState => ({ tokens: null, ts: 0, rate: null, until: 0, strikes: 0 });

const rateOf = (s: BucketState, ceiling: number) => Math.min(ceiling, s.rate ?? ceiling);

function refill(s: BucketState, now: number, ceiling: number, t: BudgetTuning): number {
  const rate = rateOf(s, ceiling);
  const capacity = Math.max(1, rate * t.burstSeconds);
  if (s.tokens === null) {
    s.tokens = capacity;
    s.ts = now;
  } else if (now > s.ts) {
    s.tokens = Math.min(capacity, s.tokens + ((now - s.ts) * rate) / 1000);
    s.ts = now;
  }
  return rate;
}

/** Takes one token: 0 when taken, else the milliseconds to wait before asking again. */
export function take(s: BucketState, now: number, ceiling: number, t: BudgetTuning): number {
  const rate = refill(s, now, ceiling, t);
  if (s.until > now) return s.until - now;
  if (s.tokens! >= 1) {
    s.tokens! -= 1;
    return 0;
  }
  return Math.ceil(((1 - s.tokens!) * 1000) / rate);
}

/** Nothing goes out before `now + ms`; the bucket then refills from empty (no burst on resume). */
export function pause(s: BucketState, now: number, ms: number): void {
  s.until = Math.max(s.until, now + ms);
  s.tokens = 0;
  s.ts = s.until;
}

/**
 * A throttling answer. Answers to requests already in flight when the first one paused the
 * connection belong to the same episode: they extend the pause but do not cut the rate again.
 */
export function throttled(
  s: BucketState,
  now: number,
  ceiling: number,
  t: BudgetTuning,
  retryAfterMs?: number,
): number {
  if (now >= s.until) {
    s.rate = Math.max(Math.min(t.minRate, ceiling), rateOf(s, ceiling) * t.decrease);
    s.strikes += 1;
  }
  const backoff = Math.min(t.backoffMaxMs, t.backoffBaseMs * 2 ** (Math.max(1, s.strikes) - 1));
  pause(s, now, retryAfterMs ?? backoff);
  return s.until - now;
}

export function succeeded(s: BucketState, ceiling: number, t: BudgetTuning): void {
  s.strikes = 0;
  const rate = rateOf(s, ceiling) + t.increase * ceiling;
  s.rate = rate >= ceiling ? null : rate;
}

export function inspect(s: BucketState, now: number, ceiling: number, t: BudgetTuning): BudgetState {
  const copy = { ...s };
  const rate = refill(copy, now, ceiling, t);
  return {
    rate,
    tokens: copy.ts > now ? 0 : copy.tokens!,
    pausedForMs: Math.max(0, copy.until - now),
    strikes: copy.strikes,
  };
}
