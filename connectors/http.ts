// Every request a cloud connector sends goes through `connectorFetch`: the built-in fetch on one
// connection pool whose timeouts bound each call, so a dead network or a half-open socket fails a call
// (a retryable network error) instead of holding a copy for hours. Three limits, as undici enforces
// them: connecting; the answer's headers, counted from when the request went out (and restarted while
// a streamed request body is still being sent); and the longest pause inside an answer's body. They are
// process-wide, like the pool they configure: worker and API set them once from their configuration.
// undici 6 is the line Node 20's own fetch is built on, so its Agent is a dispatcher that fetch accepts.
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

/** The built-in fetch, bounded by the timeouts above. */
export const connectorFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, dispatcher: connectorDispatcher() } as RequestInit);
