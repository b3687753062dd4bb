// Listing activities run under a heartbeat timeout: they heartbeat from a timer while their event loop
// is free, and give it back every few milliseconds while they decide a page's names, so a page that
// takes long to filter keeps beating, and a loop held for good stops the beats (and is retried elsewhere).
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeating, keptEntries } from '../../activities/listing/pacing';

/** Holds the event loop for `ms`. */
const busy = (ms: number) => {
  for (const end = performance.now() + ms; performance.now() < end;);
};

describe('keptEntries', () => {
  it('keeps what the test keeps, in order', async () => {
    expect(await keptEntries([1, 2, 3, 4, 5, 6], (n) => n % 2 === 0)).toEqual([2, 4, 6]);
    expect(await keptEntries(new Set(['a', 'b']), () => true)).toEqual(['a', 'b']);
  });

  it('gives the event loop back while a long page is decided', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      // 300 ms of matching, 3 ms an entry.
      await keptEntries(Array.from({ length: 100 }), () => (busy(3), true));
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});

describe('heartbeating', () => {
  it('heartbeats while a listing activity decides many entries', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const activity = heartbeating(async (n: number) => {
      return (
        await keptEntries(
          Array.from({ length: n }, (_, i) => i),
          (i) => (busy(3), i % 2 === 0),
        )
      ).length;
    }, 50);
    // 600 ms of matching: about twelve beats.
    expect(await env.run(activity, 200)).toBe(100);
    expect(beats).toBeGreaterThanOrEqual(5);
    // And none once it has returned.
    const after = beats;
    await new Promise((r) => setTimeout(r, 150));
    expect(beats).toBe(after);
  });

  it('stops heartbeating while the event loop is held', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await env.run(heartbeating(async () => busy(300), 50));
    expect(beats).toBe(0);
  });
});
