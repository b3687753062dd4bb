// Failed sign-ins slow the next attempt for the same email from the same address, doubling each time,
// and after MAX_FAILURES within the window refuse it (429) until the window passes. The count is kept
// whether or not the email exists, so the answers never tell. A success forgets the count.
import { setTimeout as defaultSleep } from 'node:timers/promises';
import type { Response } from 'express';
import { AppError } from '../../common/errors';
import { hashSecret } from '../../common/secret-hash';
import type { AccountRateLimiter } from '../http/rate-limit';

export const MAX_FAILURES = 10;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

/** The wait before checking a password after `failures` wrong ones: 0, 250 ms, 500 ms, 1 s … 8 s. */
export const delayAfter = (failures: number): number =>
  failures <= 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - 1));

export interface SignInGuard {
  /** Waits out the backoff for this email and address; refuses (429) once locked. */
  before(email: string, ip: string, res: Response): Promise<void>;
  failed(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

// Emails are personal data: the limiter's keys (in Redis too) hold only a hash.
const keyOf = (email: string, ip: string) => hashSecret(`${email.toLowerCase()}\0${ip}`);

export function signInGuard(
  limiter: AccountRateLimiter,
  sleep: (ms: number) => Promise<unknown> = defaultSleep,
): SignInGuard {
  return {
    async before(email, ip, res) {
      const { failures, msBeforeReset } = await limiter.signInFailures(keyOf(email, ip));
      if (failures >= MAX_FAILURES) {
        const seconds = Math.max(1, Math.ceil(msBeforeReset / 1000));
        res.setHeader('Retry-After', String(seconds));
        throw new AppError(
          'rate_limit_exceeded',
          'Too many failed sign-ins for this email from this address',
          `Wait ${seconds} seconds (the Retry-After header), or sign in with a one-time link from an owner.`,
        );
      }
      await sleep(delayAfter(failures));
    },
    failed: (email, ip) => limiter.recordSignInFailure(keyOf(email, ip)),
    succeeded: (email, ip) => limiter.clearSignInFailures(keyOf(email, ip)),
  };
}
