// Per-account request budgets (fixed one-minute windows), a per-IP throttle on failed authentication, and
// a count of failed console sign-ins per email and address (15-minute window; api/session/sign-in-guard.ts).
// In memory by default; in Redis (shared by every API process) when REDIS_URL is set. If Redis is
// unreachable the limiter fails open to a per-process memory budget and logs a warning, rather than
// failing every request.
import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../../common/logger';
import type { Plan } from '../../store/types';

const WINDOW_SECONDS = 60;
/** Failed sign-ins are remembered this long (a success forgets them). */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  msBeforeReset: number;
}

export interface AccountRateLimiter {
  /** Requests per minute for a plan. */
  limitFor(plan: Plan): number;
  /** Counts one request against the account's budget. */
  consume(accountId: string, plan: Plan): Promise<RateLimitState>;
  /** Whether this IP has failed authentication too often; counts nothing. */
  peekFailedAuth(ip: string): Promise<RateLimitState>;
  /** Counts one failed authentication from this IP. */
  recordFailedAuth(ip: string): Promise<RateLimitState>;
  /** Failed sign-ins recorded under `key` (an email and an address) within the window. */
  signInFailures(key: string): Promise<{ failures: number; msBeforeReset: number }>;
  recordSignInFailure(key: string): Promise<void>;
  clearSignInFailures(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  limits: Record<Plan, number>;
  /** Failed authentications per IP per minute. */
  failedAuthPerMinute?: number;
  redisUrl?: string;
  /** An existing ioredis client (not closed by `close()`); wins over `redisUrl`. */
  redis?: Redis;
  /** Prefix for Redis keys (tests use a unique one per run). */
  keyPrefix?: string;
  logger?: Logger;
}

type LimiterName = Plan | 'auth' | 'signin';
type Limiters = Record<LimiterName, RateLimiterAbstract>;
/** Counted, never refused by the limiter itself: the sign-in guard decides from the count. */
const SIGN_IN_POINTS = 1_000_000;
const durationOf = (name: string) => (name === 'signin' ? SIGN_IN_WINDOW_SECONDS : WINDOW_SECONDS);

function stateOf(res: RateLimiterRes, limit: number, allowed: boolean): RateLimitState {
  return {
    allowed,
    limit,
    remaining: Math.max(0, limit - res.consumedPoints),
    msBeforeReset: Math.max(0, res.msBeforeNext),
  };
}

export function createRateLimiter(opts: RateLimiterOptions): AccountRateLimiter {
  const prefix = opts.keyPrefix ?? 'mc:rl';
  const points: Record<LimiterName, number> = {
    ...opts.limits,
    auth: opts.failedAuthPerMinute ?? 30,
    signin: SIGN_IN_POINTS,
  };
  const memory = buildLimiters(
    points,
    (name, p) =>
      new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points: p, duration: durationOf(name) }),
  );

  const ownRedis =
    !opts.redis && opts.redisUrl
      ? new Redis(opts.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
      : undefined;
  const redis = opts.redis ?? ownRedis;
  const shared = redis
    ? buildLimiters(
        points,
        (name, p) =>
          new RateLimiterRedis({
            storeClient: redis,
            rejectIfRedisNotReady: true,
            keyPrefix: `${prefix}:${name}`,
            points: p,
            duration: durationOf(name),
          }),
      )
    : undefined;

  let lastWarning = 0;
  const warn = (err: unknown) => {
    // One warning a minute is enough to notice; one per request would flood the log.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    opts.logger?.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'rate limiter store unavailable; using per-process limits',
    );
  };
  ownRedis?.on('error', warn);

  /** Runs `op` on the shared limiter, falling back to memory when the shared store fails. */
  async function run(name: LimiterName, op: (l: RateLimiterAbstract) => Promise<RateLimiterRes | null>) {
    if (shared) {
      try {
        return await op(shared[name]);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw err;
        warn(err);
      }
    }
    return op(memory[name]);
  }

  async function consume(name: LimiterName, key: string): Promise<RateLimitState> {
    try {
      const res = await run(name, (l) => l.consume(key));
      return stateOf(res!, points[name], true);
    } catch (err) {
      if (err instanceof RateLimiterRes) return stateOf(err, points[name], false);
      throw err;
    }
  }

  return {
    limitFor: (plan) => points[plan],
    consume: (accountId, plan) => consume(plan, accountId),
    recordFailedAuth: (ip) => consume('auth', ip),
    async peekFailedAuth(ip) {
      const res = await run('auth', (l) => l.get(ip));
      if (!res)
        return {
          allowed: true,
          limit: points.auth,
          remaining: points.auth,
          msBeforeReset: WINDOW_SECONDS * 1000,
        };
      return stateOf(res, points.auth, res.consumedPoints < points.auth);
    },
    async signInFailures(key) {
      const res = await run('signin', (l) => l.get(key));
      return { failures: res?.consumedPoints ?? 0, msBeforeReset: Math.max(0, res?.msBeforeNext ?? 0) };
    },
    async recordSignInFailure(key) {
      await consume('signin', key);
    },
    async clearSignInFailures(key) {
      await run('signin', async (l) => {
        await l.delete(key);
        return null;
      });
    },
    async close() {
      if (ownRedis) ownRedis.disconnect();
    },
  };
}

function buildLimiters(
  points: Record<LimiterName, number>,
  make: (name: string, points: number) => RateLimiterAbstract,
): Limiters {
  return {
    pro: make('pro', points.pro),
    enterprise: make('enterprise', points.enterprise),
    auth: make('auth', points.auth),
    signin: make('signin', points.signin),
  };
}
