// The dropbox connector under faults: transparent refresh on a 401 and ahead of a known expiry (with
// onTokens), a revoked refresh token is fatal_connection, 429 with Retry-After and 5xx are retryable,
// a connection reset mid-download is retryable, and a small retry loop gets every operation through.
import { randomBytes } from 'node:crypto';
import type { UploadSession } from '../../connectors/cloud';
import { ConnectorError } from '../../connectors/types';
import { type DropboxEmulator, startDropboxEmulator } from '../../emulators/dropbox';
import { connect, contentHashOf, readAll, streamOf } from './dropbox-helpers';
import { expectKind } from './local-helpers';

let emu: DropboxEmulator;
beforeAll(async () => {
  emu = await startDropboxEmulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.store.clear();
  emu.faults.reset();
  emu.counters.reset();
});

/** Retries retryable failures, waiting what the service asked (capped); returns the value and failures. */
async function retrying<T>(
  fn: () => Promise<T>,
  max = 20,
): Promise<{ value: T; failures: ConnectorError[] }> {
  const failures: ConnectorError[] = [];
  for (;;) {
    try {
      return { value: await fn(), failures };
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.kind !== 'retryable' || failures.length >= max) throw err;
      failures.push(err);
      await new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? 10, 1100)));
    }
  }
}

describe('dropbox connector under faults', () => {
  it('refreshes once on a 401 after the tokens expired, and tells the caller', async () => {
    const { c, refreshed } = connect(emu);
    await c.mkdir('/t');
    expect(emu.tokens.expireAll()).toBeGreaterThan(0);
    expect((await c.stat('/t')).type).toBe('folder');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).toMatch(/^at\./);
    expect(Date.parse(refreshed[0]!.expiresAt!)).toBeGreaterThan(Date.now());
    // Downloads (raw requests) refresh the same way.
    await c.write('/t/a.txt', streamOf(Buffer.from('abc')), { overwrite: false });
    emu.tokens.expireAll();
    expect((await readAll(c, '/t/a.txt')).toString()).toBe('abc');
    expect(refreshed).toHaveLength(2);
    expect(emu.counters.snapshot().requests['POST /2/files/download']).toBe(2);
  });

  it('refreshes ahead of a known expiry (the SDK does) and reports it', async () => {
    const { c, refreshed } = connect(emu, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await c.list('/')).entries).toEqual([]);
    expect(refreshed).toHaveLength(1);
    expect(emu.counters.snapshot().requests['POST /2/files/list_folder']).toBe(1);
  });

  it('answers fatal_connection when the refresh token was revoked', async () => {
    const { c, refreshToken } = connect(emu);
    emu.tokens.revoke(refreshToken);
    const err = await expectKind(c.stat('/x'), 'fatal_connection');
    expect(err.message).toMatch(/re-authorization/);
    await expectKind(readAll(c, '/x'), 'fatal_connection');
  });

  it('classifies 429 with Retry-After, 5xx and resets mid-download as retryable', async () => {
    const { c } = connect(emu);
    await c.write('/r.bin', streamOf(randomBytes(100_000)), { overwrite: false });
    emu.faults.update({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await c.list('/');
    const throttled = await expectKind(c.list('/'), 'retryable');
    expect(throttled.retryAfterMs).toBe(2000);
    emu.faults.update({ rateLimitPerSecond: 0, failNext: 1 });
    const failed = await expectKind(c.stat('/r.bin'), 'retryable');
    expect(failed.message).toMatch(/500/);
    emu.faults.update({ resetNext: 1 });
    await expectKind(readAll(c, '/r.bin'), 'retryable');
    expect((await readAll(c, '/r.bin')).length).toBe(100_000);
  });

  it('gets every operation through bursts of failures with a small retry loop', async () => {
    const { c } = connect(emu);
    emu.faults.update({ failNext: 2 });
    expect((await retrying(() => c.mkdir('/x/y'))).failures).toHaveLength(2);
    const data = randomBytes(2 * 1024 * 1024 + 3);
    let session: UploadSession | null = null;
    // Every third request fails: the write resumes from the last committed chunk each time.
    emu.faults.update({ errorRate: 0.3 });
    const result = await retrying(async () => {
      const from = session?.offset ?? 0;
      return c.write('/x/y/big.bin', streamOf(data.subarray(from)), {
        overwrite: false,
        size: data.length,
        session,
        onSession: (s) => (session = s),
      });
    }, 60);
    expect(result.value.checksum!.value).toBe(contentHashOf(data));
    emu.faults.update({ errorRate: 0, resetNext: 2 });
    const read = await retrying(() => readAll(c, '/x/y/big.bin'));
    expect(read.failures).toHaveLength(2);
    expect(read.value.equals(data)).toBe(true);
    emu.faults.update({ rateLimitPerSecond: 3, retryAfterSeconds: 1 });
    const listed = await Promise.all([1, 2, 3, 4, 5].map(() => retrying(() => c.list('/x/y'))));
    expect(listed.map((l) => l.value.entries.map((e) => e.name))).toEqual(Array(5).fill(['big.bin']));
    expect(listed.some((l) => l.failures.some((f) => f.retryAfterMs === 1000))).toBe(true);
  });
});
