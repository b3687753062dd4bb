// Listing and folder creation ride out short throttling storms and 5xx bursts inside the activity.
// One exploring activity sends many requests (pages, path lookups, a mkdir per folder); without this
// every throttled answer failed the whole activity, which Temporal then retried from the start, and
// a storm of about ten refused requests in a row used up the retry policy and failed the migration.
// list, stat and mkdir change nothing or are idempotent (mkdir succeeds on an existing folder, and
// Drive's creates carry a fixed id), so retrying one of them is always safe. Copies have their own
// per-file retries (activities/copy/file.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectorError, type Connector } from '../../connectors/types';

/** Tries of one call before its error fails the activity (and Temporal retries it). */
export const LISTING_TRIES = 5;
const MAX_WAIT_MS = 60_000;

/** Waits the service's Retry-After, or 0.5 s doubling without one. */
export const retryDelayMs = (retryAfterMs: number | undefined, failures: number): number =>
  Math.min(MAX_WAIT_MS, retryAfterMs ?? 500 * 2 ** (failures - 1));

async function retried<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectorError(err, 'retryable') || failures >= LISTING_TRIES || signal?.aborted) throw err;
      await sleep(retryDelayMs(err.retryAfterMs, failures), undefined, { signal });
    }
  }
}

/** The connector with list, stat and mkdir retried on retryable errors (reads and writes as they were). */
export function retryingListing(connector: Connector, signal?: AbortSignal): Connector {
  return {
    ...connector,
    list: (path, options) => retried(() => connector.list(path, options), signal),
    stat: (path) => retried(() => connector.stat(path), signal),
    mkdir: (path, options) => retried(() => connector.mkdir(path, options), signal),
  };
}
