// Every request a connector sends goes through its connection's budget: the gate waits for a token,
// and reads the answer — a throttling answer pauses and slows the connection for every worker, a
// success lets its rate climb back. Cloud clients gate each HTTP request (a Drive path lookup is
// several requests, a chunked upload one per chunk); `local` has no client, so each method call is one.
// The gate is also where each request's budget wait and each throttling answer are counted, per service.
import { budgetWaitSeconds, providerThrottledTotal } from '../common/metrics';
import type { RequestBudgets } from './budget';
import type { RequestGate } from './cloud';
import { ConnectorError, type Connector } from './types';
import { wrapConnector } from './wrap';

const isThrottling = (err: unknown) => err instanceof ConnectorError && err.throttled;

/** The gate of one connection, or undefined when its rate is unlimited. */
export function budgetGate(
  budgets: RequestBudgets,
  service: string,
  connectionId: string,
  rate: number,
  signal?: AbortSignal,
): RequestGate | undefined {
  if (!(rate > 0)) return undefined;
  return async (request) => {
    const waited = budgetWaitSeconds.startTimer({ service });
    try {
      await budgets.acquire(connectionId, rate, signal);
    } finally {
      // A wait a cancellation ended was waited too.
      waited();
    }
    try {
      const result = await request();
      // Not awaited: the answer is not held back for bookkeeping.
      budgets.onSuccess(connectionId, rate).catch(() => undefined);
      return result;
    } catch (err) {
      if (isThrottling(err)) {
        providerThrottledTotal.inc({ service });
        await budgets.onThrottled(connectionId, rate, (err as ConnectorError).retryAfterMs).catch(() => 0);
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

/** For a cloud connection without a budget: its requests still count their throttling answers. */
export const throttleCounter =
  (service: string): RequestGate =>
  async (request) => {
    try {
      return await request();
    } catch (err) {
      if (isThrottling(err)) providerThrottledTotal.inc({ service });
      throw err;
    }
  };

/** A connector whose every call passes the gate (for connectors without an HTTP client to gate). */
export const gatedConnector = (connector: Connector, gate: RequestGate): Connector =>
  wrapConnector(connector, gate);
