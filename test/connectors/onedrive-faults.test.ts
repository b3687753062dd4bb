// onedrive under trouble, beyond what the shared conformance run under faults covers: the token
// lifecycle, and Graph's own answers — 429 TooManyRequests or activityLimitReached and 503 with
// Retry-After, 500 generalException — each classified once, and what a token refresh costs.
import { connect, ONEDRIVE, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { streamOf } from './streams';
import { describeTokenFaults } from './token-faults';

const h = useEmulator(ONEDRIVE);
beforeEach(() => {
  h.emu.throttleStyle = 'TooManyRequests';
});

describeTokenFaults(ONEDRIVE, h);

describe('onedrive connector under faults', () => {
  it('refreshes on the 401 and repeats that one request', async () => {
    const { c } = connect(ONEDRIVE, h.emu);
    await c.stat('/');
    await h.control.expireTokens();
    await c.stat('/');
    expect(h.emu.counters.snapshot().requests['GET /v1.0/me/drive/root']).toBe(3);
  });

  it('classifies 429 TooManyRequests / activityLimitReached, 503 and 500 as retryable', async () => {
    const { c, issued } = connect(ONEDRIVE, h.emu);
    await c.write('/r.bin', streamOf(Buffer.alloc(1000, 9)), { overwrite: false });
    await h.control.faults({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await c.stat('/');
    const throttled = await expectKind(c.stat('/'), 'retryable');
    expect(throttled.retryAfterMs).toBe(2000);
    expect(throttled.message).toContain('429 TooManyRequests');
    h.emu.throttleStyle = 'activityLimitReached';
    expect((await expectKind(c.stat('/'), 'retryable')).message).toContain('activityLimitReached');
    h.emu.throttleStyle = '503';
    const unavailable = await expectKind(c.stat('/'), 'retryable');
    expect(unavailable.retryAfterMs).toBe(2000);
    expect(unavailable.message).toContain('503');
    await h.control.faults({ rateLimitPerSecond: 0, failNext: 1 });
    expect((await expectKind(c.stat('/r.bin'), 'retryable')).message).toContain('500 generalException');
    expect(issued).toHaveLength(0);
  });
});
