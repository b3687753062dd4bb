// One cloud → cloud migration of benchmark 3 (bench/cloud-rate-limit.ts): both emulators limited to R
// requests/s with counters zeroed, the migration started through the API and waited for, and what each
// side served counted per file and by endpoint.
import { migrationWorkflowId } from '../../contract';
import { emulatorCounters, setRateLimit, type CounterSnapshot } from './emulator-control';
import { round2, seconds } from './format';
import { historyStats } from './history';
import { log } from './log';
import type { Stack } from './stack';

export interface Side {
  label: string;
  url: string;
  /** The API's connection id. */
  id: string;
}

export interface SideCount {
  perFile: number;
  byEndpoint: string;
  /** Accepted requests/s ÷ R, over the whole run (POST → final status). */
  ofRate: number;
  /** The same between 10% and 90% of the run (the start lists before copying, the end reports). */
  middleOfRate: number;
  throttled: number;
}

export interface PairRun {
  from: Side;
  to: Side;
  wallMs: number;
  status: string;
  copied: number;
  failed: number;
  /** Files whose bytes at the destination equal the seeded ones. */
  arrived: number;
  source: SideCount;
  destination: SideCount;
  details: Record<string, unknown>;
}

export interface PairSetting {
  stack: Stack;
  rate: number;
  files: number;
  /** Every emulator's URL: the one not in this pair is unlimited and zeroed too. */
  all: string[];
}

/** Migrates `fromPath` of `from` to `toPath` of `to`; `arrived` counts files `check` finds identical. */
export async function pairRun(
  s: PairSetting,
  from: Side,
  fromPath: string,
  to: Side,
  toPath: string,
  check: () => number,
): Promise<PairRun> {
  for (const url of s.all) await setRateLimit(url, url === from.url || url === to.url ? s.rate : 0);
  log(`${from.label} → ${to.label}: both limited to ${s.rate} requests/s; migrating…`);
  const t0 = Date.now();
  const started = await s.stack.api.startMigration(
    { connection_id: from.id, path: fromPath },
    { connection_id: to.id, path: toPath },
  );
  // Accepted requests over time, each side: the rate away from the run's start and end.
  const samples: { ms: number; source: number; destination: number }[] = [];
  const accepted = (c: CounterSnapshot) => c.total - c.throttled;
  const sampler = setInterval(() => {
    void Promise.all([emulatorCounters(from.url), emulatorCounters(to.url)]).then(([a, b]) =>
      samples.push({ ms: Date.now() - t0, source: accepted(a), destination: accepted(b) }),
    );
  }, 500);
  const final = await s.stack.api
    .waitForMigration(started.id, { everyMs: 1000, assertAlive: s.stack.assertAlive })
    .finally(() => clearInterval(sampler));
  const wallMs = final.finished_at ? Date.parse(final.finished_at) - t0 : Date.now() - t0;
  const counters = { source: await emulatorCounters(from.url), destination: await emulatorCounters(to.url) };
  log(`${from.label} → ${to.label}: ${final.status} in ${seconds(wallMs)} s`);
  const history = await historyStats(s.stack.temporalAddress, migrationWorkflowId(final.id)).catch(
    () => null,
  );
  const side = (c: CounterSnapshot, which: 'source' | 'destination'): SideCount => ({
    perFile: c.total / s.files,
    byEndpoint: byEndpoint(c, s.files),
    ofRate: accepted(c) / (wallMs / 1000) / s.rate,
    middleOfRate: middleRate(samples, which, wallMs) / s.rate,
    throttled: c.throttled,
  });
  return {
    from,
    to,
    wallMs,
    status: final.status,
    copied: final.progress.files_copied,
    failed: final.progress.files_failed,
    arrived: check(),
    source: side(counters.source, 'source'),
    destination: side(counters.destination, 'destination'),
    details: { wallMs, counters, history, error: final.error },
  };
}

/** Accepted requests/s between 10% and 90% of the run, from the samples nearest those times. */
function middleRate(
  samples: { ms: number; source: number; destination: number }[],
  which: 'source' | 'destination',
  wallMs: number,
): number {
  if (samples.length < 2) return NaN;
  const at = (ms: number) => samples.reduce((a, b) => (Math.abs(b.ms - ms) < Math.abs(a.ms - ms) ? b : a));
  const [a, b] = [at(0.1 * wallMs), at(0.9 * wallMs)];
  return b.ms > a.ms ? (b[which] - a[which]) / ((b.ms - a.ms) / 1000) : NaN;
}

/** e.g. "GET /drive/v3/files 0.01, GET /drive/v3/files/{id} 1" (throttled answers included). */
function byEndpoint(c: CounterSnapshot, files: number): string {
  return Object.entries(c.requests)
    .sort(([, a], [, b]) => b - a)
    .map(([endpoint, n]) => `${endpoint} ${round2(n / files)}`)
    .join(', ');
}
