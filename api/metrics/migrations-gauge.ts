// migrateclouds_migrations{status}: how many migrations of every account are in each status, read from
// the store when Prometheus scrapes, on a registry of this app's own (it belongs to this app's store).
// One answer serves every scrape for a few seconds, so frequent scrapers cannot load the store.
import { Gauge, Registry } from 'prom-client';
import type { Logger } from '../../common/logger';
import type { MigrationStatus } from '../../contract';

export const MIGRATIONS_GAUGE_CACHE_MS = 5_000;

export function migrationsGauge(
  countByStatus: () => Promise<Record<MigrationStatus, number>>,
  logger: Logger,
  now: () => number = Date.now,
): Registry {
  const registry = new Registry();
  let cached: { at: number; counts: Promise<Record<MigrationStatus, number>> } | undefined;
  const counts = () => {
    if (!cached || now() - cached.at >= MIGRATIONS_GAUGE_CACHE_MS) {
      cached = { at: now(), counts: countByStatus() };
      // A failed count is not kept: the next scrape asks again.
      cached.counts.catch(() => (cached = undefined));
    }
    return cached.counts;
  };
  new Gauge({
    name: 'migrateclouds_migrations',
    help: 'Migrations of every account in each status (read from the store, at most every 5 s).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      try {
        for (const [status, n] of Object.entries(await counts())) this.set({ status }, n);
      } catch (err) {
        // No stale numbers: the series are absent until the store answers again.
        this.reset();
        logger.warn({ err }, 'metrics: counting migrations by status failed');
      }
    },
  });
  return registry;
}
