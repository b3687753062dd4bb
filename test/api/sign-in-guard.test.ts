// The sign-in backoff over the real rate limiter (memory, and Redis shared by API processes): doubling
// waits, a lock after ten failures with Retry-After, per email and address, forgotten after a success.
import type { Response } from 'express';
import { createRateLimiter } from '../../api/http/rate-limit';
import { MAX_FAILURES, signInGuard } from '../../api/session/sign-in-guard';
import { AppError } from '../../common/errors';
import { randomBase62 } from '../../common/ids';

const fakeRes = () => {
  const headers: Record<string, string> = {};
  return { headers, res: { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response };
};

describe.each([
  ['memory', undefined],
  ['redis', process.env.REDIS_URL],
])('sign-in guard (%s)', (_name, redisUrl) => {
  const run = redisUrl || _name === 'memory' ? it : it.skip;

  run('waits longer after each failure and locks after ten, per email and address', async () => {
    const limiter = createRateLimiter({
      limits: { pro: 10, enterprise: 10 },
      redisUrl,
      keyPrefix: `t:${randomBase62(8)}`,
    });
    const waits: number[] = [];
    const guard = signInGuard(limiter, async (ms) => void waits.push(ms));
    try {
      for (let i = 0; i < MAX_FAILURES; i++) {
        await guard.before('a@example.com', '10.0.0.1', fakeRes().res);
        await guard.failed('a@example.com', '10.0.0.1');
      }
      expect(waits).toEqual([0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
      const { headers, res } = fakeRes();
      const locked = await guard.before('A@example.com', '10.0.0.1', res).catch((e: unknown) => e);
      expect(locked).toBeInstanceOf(AppError);
      expect((locked as AppError).code).toBe('rate_limit_exceeded');
      expect(Number(headers['Retry-After'])).toBeGreaterThan(800);
      // Another address, or another email, is not slowed by these failures.
      waits.length = 0;
      await guard.before('a@example.com', '10.0.0.2', fakeRes().res);
      await guard.before('b@example.com', '10.0.0.1', fakeRes().res);
      expect(waits).toEqual([0, 0]);
      await guard.succeeded('a@example.com', '10.0.0.1');
      await guard.before('a@example.com', '10.0.0.1', fakeRes().res);
      expect(waits).toEqual([0, 0, 0]);
    } finally {
      await limiter.close();
    }
  });
});
