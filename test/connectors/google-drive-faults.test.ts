// google_drive under trouble, beyond what the shared conformance run under faults covers: the token
// lifecycle, and Drive's own answers — throttling as 403 userRateLimitExceeded or 429 with
// Retry-After, 5xx — each classified once, and what a token refresh costs in requests.
import { connect, GOOGLE_DRIVE, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { streamOf } from './streams';
import { describeTokenFaults } from './token-faults';

const h = useEmulator(GOOGLE_DRIVE);
beforeEach(() => {
  h.emu.throttleStyle = '403';
});

describeTokenFaults(GOOGLE_DRIVE, h);

describe('google_drive connector under faults', () => {
  it('refreshes on the 401 and repeats that one request', async () => {
    const { c } = connect(GOOGLE_DRIVE, h.emu);
    await c.list('/');
    await h.control.expireTokens();
    await c.list('/');
    expect(h.emu.counters.snapshot().requests['GET /drive/v3/files']).toBe(3);
  });

  it('classifies Drive throttling (403 userRateLimitExceeded and 429) and 5xx as retryable', async () => {
    const { c, issued } = connect(GOOGLE_DRIVE, h.emu);
    await c.write('/r.bin', streamOf(Buffer.alloc(1000, 9)), { overwrite: false });
    await h.control.faults({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await c.list('/');
    const throttled = await expectKind(c.list('/'), 'retryable');
    expect(throttled.retryAfterMs).toBe(2000);
    expect(throttled.message).toContain('userRateLimitExceeded');
    h.emu.throttleStyle = '429';
    const tooMany = await expectKind(c.list('/'), 'retryable');
    expect(tooMany.retryAfterMs).toBe(2000);
    expect(tooMany.message).toContain('429');
    await h.control.faults({ rateLimitPerSecond: 0, failNext: 1 });
    expect((await expectKind(c.stat('/r.bin'), 'retryable')).message).toContain('500');
    expect(issued).toHaveLength(0);
  });
});
