// Every request a connector sends goes through its connection's budget: the gate waits for a token,
// and reads the answer — a throttling answer pauses and slows the connection for every worker, a
// success lets its rate climb back. Cloud clients gate each HTTP request (a Drive path lookup is
// several requests, a chunked upload one per chunk); `local` has no client, so each method call is one.
import type { Config } from '../common/config';
import type { RequestBudgets } from './budget';
import type { RequestGate } from './cloud';
import { ConnectorError, type Connector } from './types';
import type { ServiceName } from '../contract';

/** Requests per second a connection of `service` may send (0 = no budget). */
export function requestRate(config: Config, service: ServiceName): number {
  switch (service) {
    case 'google_drive':
      return config.GOOGLE_DRIVE_REQUESTS_PER_SECOND;
    case 'onedrive':
      return config.ONEDRIVE_REQUESTS_PER_SECOND;
    case 'dropbox':
      return config.DROPBOX_REQUESTS_PER_SECOND;
    case 'local':
      return config.LOCAL_REQUESTS_PER_SECOND;
  }
}

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

/** A connector whose every method call passes the gate (for connectors without an HTTP client). */
export function gatedConnector(connector: Connector, gate: RequestGate): Connector {
  return {
    ...connector,
    list: (path, options) => gate(() => connector.list(path, options)),
    stat: (path) => gate(() => connector.stat(path)),
    openRead: (path, options) => gate(() => connector.openRead(path, options)),
    write: (path, data, options) => gate(() => connector.write(path, data, options)),
    mkdir: (path) => gate(() => connector.mkdir(path)),
    ...(connector.delete ? { delete: (path: string) => gate(() => connector.delete!(path)) } : {}),
  };
}
