// One request budget per connection, shared by every activity (and, through Redis, every worker):
// a token bucket whose rate adapts to the provider's throttling (AIMD) and that a throttling answer
// pauses for everyone.

/** How one connection's budget stands (tests and logs). */
export interface BudgetState {
  /** Requests per second currently allowed (≤ the configured rate after throttling). */
  rate: number;
  /** Tokens available now (fractional). */
  tokens: number;
  /** Milliseconds until the pause ends; 0 when not paused. */
  pausedForMs: number;
  /** Throttling episodes in a row without a success in between (drives the backoff). */
  strikes: number;
}

export interface RequestBudgets {
  /**
   * Waits until the connection may send one request. `rate` is its configured requests/s (the ceiling
   * the adaptive rate climbs back to). Rejects with the signal's reason when `signal` aborts.
   */
  acquire(connectionId: string, rate: number, signal?: AbortSignal): Promise<void>;
  /** Holds every request of the connection, on every worker, for `ms` (a Retry-After). */
  pause(connectionId: string, ms: number): Promise<void>;
  /**
   * The provider throttled a request: the rate is multiplied down (once per throttling episode) and
   * the connection pauses for `retryAfterMs`, or an exponential backoff when the provider gave none.
   * Resolves to the pause in milliseconds.
   */
  onThrottled(connectionId: string, rate: number, retryAfterMs?: number): Promise<number>;
  /** A request went through: the rate climbs back additively toward `rate`. */
  onSuccess(connectionId: string, rate: number): Promise<void>;
  inspect(connectionId: string, rate: number): Promise<BudgetState>;
  close(): Promise<void>;
}

/** Tuning shared by the memory and Redis budgets; the defaults suit every provider. */
export interface BudgetTuning {
  /** Bucket size in seconds of the current rate (at least one token). Below the provider's own
   *  (usually a second's worth) so its bucket keeps slack for network jitter. Default 0.5. */
  burstSeconds: number;
  /** Factor applied to the rate on throttling. Default 0.5. */
  decrease: number;
  /** Fraction of the configured rate added back per successful request. Default 0.01. */
  increase: number;
  /** The rate never goes below this (requests/s; capped at the configured rate). Default 0.5. */
  minRate: number;
  /** Backoff without Retry-After: base × 2^(strikes − 1), at most max. Defaults 1 s and 60 s. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_TUNING: BudgetTuning = {
  burstSeconds: 0.5,
  decrease: 0.5,
  increase: 0.01,
  minRate: 0.5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
};

export interface BudgetOptions {
  tuning?: Partial<BudgetTuning>;
  /** Milliseconds since the epoch; tests inject a fake clock. */
  now?: () => number;
  /** Waits `ms` (rejecting when `signal` aborts); tests make it advance their fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}
