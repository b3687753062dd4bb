// Fault scaffolding shared by the cloud connector suites: the emulators' control API over HTTP (as a
// benchmark or another process would drive it) and a retry loop that honours Retry-After.
import { ConnectorError } from '../../connectors/types';
import type { Counters } from '../../emulators/common/counters';
import { defaultFaults, type FaultSettings } from '../../emulators/common/faults';

export type CounterSnapshot = ReturnType<Counters['snapshot']>;

/** An emulator's /_emulator control API. */
export class EmulatorControl {
  constructor(readonly url: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 500) throw new Error(`control ${method} ${path}: ${res.status}`);
    return res;
  }

  /** Changes fault settings; answers all of them. */
  async faults(patch: Partial<FaultSettings>): Promise<FaultSettings> {
    return (await (await this.call('PUT', '/faults', patch)).json()) as FaultSettings;
  }

  resetFaults(): Promise<FaultSettings> {
    return this.faults(defaultFaults());
  }

  async counters(): Promise<CounterSnapshot> {
    return (await (await this.call('GET', '/counters')).json()) as CounterSnapshot;
  }

  async resetCounters(): Promise<void> {
    await this.call('DELETE', '/counters');
  }

  /** Every access token issued so far stops working; answers how many there were. */
  async expireTokens(): Promise<number> {
    return ((await (await this.call('POST', '/tokens/expire', {})).json()) as { expired: number }).expired;
  }

  async revoke(refreshToken: string): Promise<boolean> {
    return (await this.call('POST', '/tokens/revoke', { refresh_token: refreshToken })).ok;
  }
}

export interface RetryPolicy {
  /** Give up after this many retryable failures of one operation. */
  maxFailures: number;
  /** Wait at most this long, whatever Retry-After said (tests stay fast). */
  capMs: number;
  /** Wait this long when the service named no delay. */
  defaultMs: number;
}

export const TEST_RETRY: RetryPolicy = { maxFailures: 30, capMs: 100, defaultMs: 5 };

export const isRetryable = (err: unknown): err is ConnectorError =>
  err instanceof ConnectorError && err.kind === 'retryable';

export const backoff = (err: ConnectorError, policy: RetryPolicy): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? policy.defaultMs, policy.capMs)));

/**
 * Retries retryable failures, waiting what the service asked (capped); returns the value and the
 * failures, which it also adds to `failures` as they happen (kept when the call fails in the end).
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = TEST_RETRY,
  failures: ConnectorError[] = [],
): Promise<{ value: T; failures: ConnectorError[] }> {
  const start = failures.length;
  for (;;) {
    try {
      return { value: await fn(), failures: failures.slice(start) };
    } catch (err) {
      if (!isRetryable(err) || failures.length - start >= policy.maxFailures) throw err;
      failures.push(err);
      await backoff(err, policy);
    }
  }
}
