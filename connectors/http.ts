// Every request a cloud connector sends goes through `connectorFetch`: the built-in fetch on one
// connection pool whose timeouts bound each call, so a dead network or a half-open socket fails a call
// (a retryable network error) instead of holding a copy for hours. Three limits, as undici enforces
// them: connecting; the answer's headers, counted from when the request went out (and restarted while
// a streamed request body is still being sent); and the longest pause inside an answer's body. They are
// process-wide, like the pool they configure: worker and API set them once from their configuration.
// undici 6 is the line Node 20's own fetch is built on, so its Agent is a dispatcher that fetch accepts.
// A copy also runs its writes inside `abortingRequests`, so a cancel or a worker's shutdown ends the
// request under way at once instead of waiting for an answer that may never come.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent } from 'undici';

export interface HttpTimeouts {
  connectMs: number;
  /** Until the answer's headers arrive. */
  headersMs: number;
  /** The longest pause between two pieces of an answer's body. */
  idleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectMs: 30_000, headersMs: 120_000, idleMs: 120_000 };

let timeouts = DEFAULT_HTTP_TIMEOUTS;
let agent: Agent | undefined;

/** The pool every connector request goes out on (for SDKs that call fetch themselves). */
export const connectorDispatcher = (): Agent =>
  (agent ??= new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.idleMs,
  }));

/** Sets the limits for requests from now on (connections already open finish on the old pool). */
export function setHttpTimeouts(next: HttpTimeouts): void {
  const old = agent;
  timeouts = next;
  agent = undefined;
  void old?.close().catch(() => undefined);
}

const scopeSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` with every connector request it sends aborted when `signal` aborts. */
export function abortingRequests<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return signal ? scopeSignal.run(signal, fn) : fn();
}

/** What a connector request goes out with: the pool above, and the enclosing copy's signal. */
export function boundInit<T extends { signal?: AbortSignal | null }>(init: T): T & { dispatcher: Agent } {
  const scoped = scopeSignal.getStore();
  const own = init.signal ?? undefined;
  const signal = scoped && own ? AbortSignal.any([scoped, own]) : (own ?? scoped);
  return { ...init, signal, dispatcher: connectorDispatcher() };
}

/** The built-in fetch, bounded by the timeouts above. */
export const connectorFetch: typeof fetch = (input, init) =>
  fetch(input, boundInit(init ?? {}) as RequestInit);
