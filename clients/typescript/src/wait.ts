// waitForMigration: polls GET /v1/migrations/:id until a final status, telling onProgress each answer.
import type { CallOptions, Migration } from './types';
import { FINAL_STATUSES } from './types';

export interface WaitOptions extends CallOptions {
  /** Called with every status read, the final one included. */
  onProgress?: (migration: Migration) => void | Promise<void>;
  /** Milliseconds between polls (default 2000). */
  pollInterval?: number;
}

export async function waitForMigration(
  migrations: { get(id: string, options?: CallOptions): Promise<Migration> },
  id: string,
  options: WaitOptions = {},
): Promise<Migration> {
  const interval = options.pollInterval ?? 2000;
  for (;;) {
    const migration = await migrations.get(id, { signal: options.signal });
    await options.onProgress?.(migration);
    if (FINAL_STATUSES.includes(migration.status)) return migration;
    await delay(interval, options.signal);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
