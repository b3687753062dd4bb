// Every request a connector sends goes through its connection's budget: the gate waits for a token,
// and reads the answer — a throttling answer pauses and slows the connection for every worker, a
// success lets its rate climb back. Cloud clients gate each HTTP request (a Drive path lookup is
// several requests, a chunked upload one per chunk); `local` has no client, so each method call is one.
import type { RequestBudgets } from './budget';
import type { RequestGate } from './cloud';
import { ConnectorError, type Connector } from './types';
import { wrapConnector } from './wrap';

/** The gate of one connection, or undefined when its rate is unlimited. */
export function budgetGate(
  budgets: RequestBudgets,
  connectionId: string,
  rate: number,
  signal?: AbortSignal,
): RequestGate | undefined {
  if (!(rate > 0)) return undefined;
  return async (request) => {
    await budgets.acquire(connectionId, rate, signal);
    try {
      const result = await request();
      // Not awaited: the answer is not held back for bookkeeping.
      budgets.onSuccess(connectionId, rate).catch(() => undefined);
      return result;
    } catch (err) {
      if (err instanceof ConnectorError && err.throttled) {
        await budgets.onThrottled(connectionId, rate, err.retryAfterMs).catch(() => 0);
      }
      throw err;
    }
  };
}

/**
 * The gate of a provider app's quota, which every account's connections share: each request takes a
 * token from the app's budget (`appRate` requests/s across all accounts and workers) after one from the
 * account's part of it (`share` of the app's rate), so one account's backlog can use at most that part
 * and the others always find the rest. Undefined when the app has no budget.
 */
export function appGate(
  budgets: RequestBudgets,
  app: { service: string; accountId: string; rate: number; share: number },
  signal?: AbortSignal,
): RequestGate | undefined {
  if (!(app.rate > 0)) return undefined;
  const accountRate = app.rate * Math.min(1, Math.max(0, app.share));
  return async (request) => {
    if (accountRate > 0) await budgets.acquire(`app:${app.service}:${app.accountId}`, accountRate, signal);
    await budgets.acquire(`app:${app.service}`, app.rate, signal);
    return request();
  };
}

/** Both gates in turn (either may be absent). */
export function chainGates(outer?: RequestGate, inner?: RequestGate): RequestGate | undefined {
  if (!outer || !inner) return outer ?? inner;
  return (request) => outer(() => inner(request));
}

/** A connector whose every call passes the gate (for connectors without an HTTP client to gate). */
export const gatedConnector = (connector: Connector, gate: RequestGate): Connector =>
  wrapConnector(connector, gate);
