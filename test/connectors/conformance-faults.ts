// The conformance suite "again under injected faults": before each test the emulator is told, through
// its control API, to throttle, fail, cut downloads off and expire every access token; the connector
// under test is wrapped in a retrying connector, as an activity would drive it. After the run it
// checks that every kind of fault really happened, so the run cannot pass by not being tested.
import type { Connector } from '../../connectors/types';
import { defaultFaults, type FaultSettings } from '../../emulators/common/faults';
import type { EmulatorControl } from './fault-helpers';
import { type RetryingConnector, retryingConnector } from './retrying-connector';

/**
 * The faults each test starts with: a storm of two throttled answers, then one 5xx, and the first
 * download cut off mid-body are forced, so no test goes without; a rate limit of 100 requests/s (burst 100) throttles the busier
 * tests further, and 4 % of requests fail with 5xx and 25 % of downloads are cut off at random.
 * Retry-After is 1 s, which the retrying connector caps at 100 ms (time
 * enough for the bucket to refill 10 requests, more than any one operation needs).
 */
export const CONFORMANCE_FAULTS: Partial<FaultSettings> = {
  throttleNext: 2,
  rateLimitPerSecond: 100,
  retryAfterSeconds: 1,
  failNext: 1,
  errorRate: 0.04,
  resetNext: 1,
  resetRate: 0.25,
};

export interface FaultTarget {
  connector: Connector;
  emulator?: EmulatorControl;
  tokenRefreshes?(): number;
}

export class FaultRun {
  readonly totals = { throttled: 0, serverErrors: 0, resets: 0, refreshes: 0, retried: 0, retryAfter: 0 };
  private connector: RetryingConnector | null = null;

  constructor(readonly settings: Partial<FaultSettings> = CONFORMANCE_FAULTS) {}

  /** Turns the faults on and forces token expiry; answers the connector the test uses. */
  async start(t: FaultTarget): Promise<Connector> {
    if (!t.emulator || !t.tokenRefreshes) {
      throw new Error('A run under faults needs an emulator behind the connector (local has none)');
    }
    await t.emulator.resetCounters();
    await t.emulator.faults({ ...defaultFaults(), ...this.settings });
    expect(await t.emulator.expireTokens()).toBeGreaterThan(0);
    this.connector = retryingConnector(t.connector);
    return this.connector;
  }

  /** Turns the faults off and adds up what happened. */
  async stop(t: FaultTarget): Promise<void> {
    await t.emulator!.resetFaults();
    const n = await t.emulator!.counters();
    this.totals.throttled += n.throttled;
    this.totals.serverErrors += n.server_errors;
    this.totals.resets += n.resets;
    this.totals.refreshes += t.tokenRefreshes!();
    const failures = this.connector?.failures ?? [];
    this.totals.retried += failures.length;
    this.totals.retryAfter += failures.filter((f) => f.retryAfterMs === 1000).length;
  }

  expectEveryFaultHappened(): void {
    const t = this.totals;
    expect(t.throttled).toBeGreaterThan(0);
    expect(t.serverErrors).toBeGreaterThan(0);
    expect(t.resets).toBeGreaterThan(0);
    expect(t.refreshes).toBeGreaterThan(0);
    // They reached the caller as retryable, throttling with the service's Retry-After. (Not all of
    // them: a connector may retry where that is safe, e.g. Drive's folder create with a fixed id.)
    expect(t.retried).toBeGreaterThan(0);
    expect(t.retryAfter).toBeGreaterThan(0);
  }
}
