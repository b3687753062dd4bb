// Listing activities (exploring, comparing, a change feed's page, mirror deletions) run under a
// heartbeat timeout (workflows/proxies.ts): one whose worker died or whose event loop is held is
// retried on another worker within seconds, not when its start-to-close timeout ends. They beat from a
// timer, which fires only while the event loop is free: waiting on a service (every request has its
// timeouts, connectors/http.ts) keeps the activity beating, a loop that never lets go stops it. Their
// CPU-bound part, deciding a page's names against include/exclude, gives the loop back every few
// milliseconds, so heartbeats (and the worker's other activities) go on through thousands of entries.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { reportingFailures } from '../errors';

/** Well inside the proxies' heartbeat timeout, which the SDK's throttling needs. */
const HEARTBEAT_EVERY_MS = 2_000;
/** How long a listing activity's loop runs before it gives the event loop back (one entry's decision
 * may add its matching budget, common/path-filter.ts). */
const SLICE_MS = 20;

/** The activity `fn` heartbeating every `everyMs` while it runs. */
export const heartbeating =
  <A extends unknown[], R>(fn: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS) =>
  async (...args: A): Promise<R> => {
    const context = Context.current();
    const timer = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };

/** A listing activity: heartbeating, with connector errors turned into failures (errors.ts). */
export const listingActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
  reportingFailures(heartbeating(fn));

/** Awaited once per item of a long loop: yields to the event loop once SLICE_MS have gone by. */
export function pacer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await nextTurn();
    since = performance.now();
  };
}

/** The entries `keep` takes, in order, yielding to the event loop as `pacer` does. */
export async function keptEntries<T>(entries: Iterable<T>, keep: (entry: T) => boolean): Promise<T[]> {
  const pace = pacer();
  const kept: T[] = [];
  for (const entry of entries) {
    if (keep(entry)) kept.push(entry);
    await pace();
  }
  return kept;
}
