// Live throughput and ETA for the progress query. The workflow samples (time, bytes copied) as
// batches complete; current throughput is the bytes copied since the newest sample at least a window
// old, not the run's average. Workflow code: workflow time only, no I/O, a bounded handful of samples.
import type { MigrationProgress } from '../contract';

export const THROUGHPUT_WINDOW_MS = 30_000;
/** Samples closer together than this add nothing (at most ~30 are kept). */
const MIN_SPACING_MS = 1_000;

interface Sample {
  t: number;
  bytes: number;
}

export class ThroughputMeter {
  private readonly samples: Sample[];

  /** Starts at the run's first moment with the bytes copied so far (continue-as-new starts afresh). */
  constructor(nowMs: number, bytesCopied: number) {
    this.samples = [{ t: nowMs, bytes: bytesCopied }];
  }

  sample(nowMs: number, bytesCopied: number): void {
    const last = this.samples[this.samples.length - 1]!;
    if (nowMs - last.t >= MIN_SPACING_MS) this.samples.push({ t: nowMs, bytes: bytesCopied });
    // Keep one sample at or before the window's start: the baseline of the next reading.
    const cutoff = nowMs - THROUGHPUT_WINDOW_MS;
    while (this.samples.length > 1 && this.samples[1]!.t <= cutoff) this.samples.shift();
  }

  /** Bytes per second over about the last window (longer when no batch finished in it). */
  bytesPerSecond(nowMs: number, bytesCopied: number): number {
    const cutoff = nowMs - THROUGHPUT_WINDOW_MS;
    let base = this.samples[0]!;
    for (const s of this.samples) {
      if (s.t > cutoff) break;
      base = s;
    }
    const seconds = Math.max(1, (nowMs - base.t) / 1000);
    return Math.max(0, Math.round((bytesCopied - base.bytes) / seconds));
  }
}

/**
 * Seconds left: unknown (null) until the whole source is listed, then the bytes neither copied nor
 * skipped over the current throughput (null while nothing moves).
 */
export function etaSeconds(progress: MigrationProgress, bytesPerSecond: number): number | null {
  if (!progress.listingComplete) return null;
  const remaining = Math.max(0, progress.bytesDiscovered - progress.bytesCopied - progress.bytesSkipped);
  if (remaining === 0) return 0;
  return bytesPerSecond > 0 ? Math.ceil(remaining / bytesPerSecond) : null;
}
