// Retries a start-up step (connecting to Temporal, the database) while its peer is still booting.
import { setTimeout as sleep } from 'node:timers/promises';

export async function retryUntilReady<T>(
  label: string,
  fn: () => Promise<T>,
  opts: { timeoutMs?: number; onRetry?: (message: string) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      opts.onRetry?.(`${label} not ready (${err instanceof Error ? err.message : String(err)}); retrying`);
      await sleep(delay);
    }
  }
}
