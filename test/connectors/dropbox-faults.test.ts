// dropbox under trouble, beyond what the shared conformance run under faults covers: the token
// lifecycle; downloads (raw requests outside the SDK's RPC path) refresh the same way; the SDK's
// refresh ahead of a known expiry is reported; 429 with Retry-After and 5xx are retryable.
import { connect, DROPBOX, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { readAll, streamOf } from './streams';
import { describeTokenFaults } from './token-faults';

const h = useEmulator(DROPBOX);

describeTokenFaults(DROPBOX, h);

describe('dropbox connector under faults', () => {
  it('refreshes a download once on a 401 and repeats it', async () => {
    const { c, issued } = connect(DROPBOX, h.emu);
    await c.write('/a.txt', streamOf(Buffer.from('abc')), { overwrite: false });
    await h.control.expireTokens();
    expect((await readAll(c, '/a.txt')).toString()).toBe('abc');
    expect(issued).toHaveLength(1);
    expect(h.emu.counters.snapshot().requests['POST /2/files/download']).toBe(2);
  });

  it('refreshes ahead of a known expiry (the SDK does) and reports it', async () => {
    const { c, issued } = connect(DROPBOX, h.emu, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await c.list('/')).entries).toEqual([]);
    expect(issued).toHaveLength(1);
    expect(h.emu.counters.snapshot().requests['POST /2/files/list_folder']).toBe(1);
  });

  it('classifies 429 with Retry-After and 5xx as retryable', async () => {
    const { c } = connect(DROPBOX, h.emu);
    await c.write('/r.bin', streamOf(Buffer.alloc(1000, 9)), { overwrite: false });
    await h.control.faults({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await c.list('/');
    const throttled = await expectKind(c.list('/'), 'retryable');
    expect(throttled.retryAfterMs).toBe(2000);
    await h.control.faults({ rateLimitPerSecond: 0, failNext: 1 });
    expect((await expectKind(c.stat('/r.bin'), 'retryable')).message).toMatch(/500/);
  });

  it('keeps a throttled look-up retryable: mkdir of an existing folder is no wrong_type then', async () => {
    const { c } = connect(DROPBOX, h.emu);
    await c.mkdir('/t');
    // One request a second: create_folder_v2 answers the conflict, the metadata look-up is throttled.
    await h.control.faults({ rateLimitPerSecond: 1, retryAfterSeconds: 1 });
    expect((await expectKind(c.mkdir('/t'), 'retryable')).retryAfterMs).toBe(1000);
  });
});
