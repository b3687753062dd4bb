import { etaSeconds, ThroughputMeter } from '../../workflows/throughput';
import { emptyProgress } from '../../contract';

const MB = 1_000_000;

describe('ThroughputMeter', () => {
  it('reports the bytes of about the last 30 seconds, not the run average', () => {
    const meter = new ThroughputMeter(0, 0);
    // 60 s at 10 MB/s, then 60 s at 1 MB/s, a batch finishing every 5 s.
    let bytes = 0;
    for (let t = 5_000; t <= 60_000; t += 5_000) meter.sample(t, (bytes += 50 * MB));
    expect(meter.bytesPerSecond(60_000, bytes)).toBe(10 * MB);
    for (let t = 65_000; t <= 120_000; t += 5_000) meter.sample(t, (bytes += 5 * MB));
    expect(meter.bytesPerSecond(120_000, bytes)).toBe(1 * MB);
    // The run's average would be 5.5 MB/s.
    expect(bytes / 120).toBe(5.5 * MB);
  });

  it('falls to zero when nothing completes, and keeps only a handful of samples', () => {
    const meter = new ThroughputMeter(0, 0);
    for (let t = 100; t <= 60_000; t += 100) meter.sample(t, t * 1000);
    expect((meter as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(32);
    expect(meter.bytesPerSecond(60_000, 60_000_000)).toBe(1_000_000);
    expect(meter.bytesPerSecond(200_000, 60_000_000)).toBe(0);
  });

  it('measures from the run start before any batch completed (at least one second)', () => {
    const meter = new ThroughputMeter(10_000, 7 * MB);
    expect(meter.bytesPerSecond(10_000, 7 * MB)).toBe(0);
    expect(meter.bytesPerSecond(14_000, 15 * MB)).toBe(2 * MB);
  });
});

describe('etaSeconds', () => {
  const progress = {
    ...emptyProgress(),
    bytesDiscovered: 100 * MB,
    bytesCopied: 40 * MB,
    bytesSkipped: 10 * MB,
  };
  it('is null until the listing is complete, then remaining bytes over throughput', () => {
    expect(etaSeconds(progress, MB)).toBeNull();
    expect(etaSeconds({ ...progress, listingComplete: true }, MB)).toBe(50);
    expect(etaSeconds({ ...progress, listingComplete: true }, 3 * MB)).toBe(17);
    expect(etaSeconds({ ...progress, listingComplete: true }, 0)).toBeNull();
    expect(etaSeconds({ ...progress, listingComplete: true, bytesCopied: 90 * MB }, 0)).toBe(0);
  });
});
