// A fetch that waits and retries: on 429 always (the server refused the request, so nothing happened),
// honouring Retry-After; on 502/503/504 and network failures only when repeating the request is safe —
// GET/HEAD/PUT/DELETE, or a POST carrying an Idempotency-Key (the server answers a repeat with what the
// first one made). Attempts are bounded; the last answer is handed back as is.
import { retryAfterSeconds } from './errors';

export interface RetryOptions {
  /** Total attempts per request, the first included (default 4; 1 turns retries off). */
  maxAttempts?: number;
  /** Longest wait between attempts, in seconds (default 60): a longer Retry-After gives up instead. */
  maxWaitSeconds?: number;
  /** First backoff without a Retry-After, in seconds, doubled each attempt (default 0.5). */
  baseDelaySeconds?: number;
  /** Told before each wait (for logs and tests). */
  onRetry?: (info: { attempt: number; status: number; waitSeconds: number; url: string }) => void;
}

const TRANSIENT = new Set([502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export function retryingFetch(
  options: RetryOptions = {},
  base: typeof fetch = globalThis.fetch,
): typeof fetch {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const maxWait = options.maxWaitSeconds ?? 60;
  const baseDelay = options.baseDelaySeconds ?? 0.5;

  return async (input, init) => {
    // One Request to clone per attempt, so a body can be sent again.
    const request = new Request(input, init);
    const repeatable = SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts;
      let response: Response;
      try {
        response = await base(request.clone());
      } catch (err) {
        if (last || !repeatable || request.signal.aborted) throw err;
        await sleep(backoff(baseDelay, attempt), request.signal);
        continue;
      }
      const retryable = response.status === 429 || (TRANSIENT.has(response.status) && repeatable);
      if (last || !retryable) return response;
      const wait = retryAfterSeconds(response) ?? backoff(baseDelay, attempt);
      if (wait > maxWait) return response;
      options.onRetry?.({ attempt, status: response.status, waitSeconds: wait, url: request.url });
      await response.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}

/** Exponential with full jitter, so many clients do not come back in step. */
const backoff = (base: number, attempt: number) => Math.random() * base * 2 ** (attempt - 1) + base / 2;

function sleep(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, seconds * 1000);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
