// onedrive under trouble: expiring and revoked tokens, Graph's throttling answers, 5xx bursts and
// connections reset mid-download, each classified once; a small retry loop gets everything through.
import { Readable } from 'node:stream';
import type { OAuthTokens, UploadSession } from '../../connectors/cloud';
import { createHasher } from '../../connectors/hashing';
import { createOneDriveConnector } from '../../connectors/onedrive';
import { type Connector, ConnectorError } from '../../connectors/types';
import { type OneDriveEmulator, startOneDriveEmulator } from '../../emulators/onedrive';
import { expectKind } from './local-helpers';

const KiB = 1024;
let emu: OneDriveEmulator;
let c: Connector;
let refreshToken: string;
let issued: OAuthTokens[];
const qxh = (b: Buffer) => {
  const h = createHasher('quickxor');
  h.update(b);
  return h.digest();
};
const control = (path: string, body?: unknown) =>
  fetch(`${emu.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

async function readAll(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await c.openRead(path)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Retries retryable failures, waiting what the service asked; returns the value and the failures. */
async function retrying<T>(fn: () => Promise<T>): Promise<{ value: T; failures: ConnectorError[] }> {
  const failures: ConnectorError[] = [];
  for (;;) {
    try {
      return { value: await fn(), failures };
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.kind !== 'retryable' || failures.length >= 5) throw err;
      failures.push(err);
      await new Promise((r) => setTimeout(r, Math.min(err.retryAfterMs ?? 20, 1500)));
    }
  }
}

beforeAll(async () => {
  emu = await startOneDriveEmulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.store.clear();
  emu.faults.reset();
  emu.counters.reset();
  emu.throttleStyle = 'TooManyRequests';
  issued = [];
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  refreshToken = grant.refresh_token;
  c = createOneDriveConnector({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/common/oauth2/v2.0/token` },
    tokens: {
      accessToken: grant.access_token,
      refreshToken,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
    onTokens: (t) => void issued.push(t),
    chunkSize: 320 * KiB,
    resumableThreshold: 640 * KiB,
  });
});

describe('onedrive connector under faults', () => {
  it('refreshes an expired access token transparently and reports the new one', async () => {
    await c.mkdir('/a');
    expect((await control('/tokens/expire')).status).toBe(200);
    expect((await c.list('/')).entries.map((e) => e.name)).toEqual(['a']);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ refreshToken, accessToken: expect.stringMatching(/^at\./) });
    expect(Date.parse(issued[0]!.expiresAt!)).toBeGreaterThan(Date.now());
    // The root lookup answered 401 once, then went through with the new token.
    expect(emu.counters.snapshot().requests['GET /v1.0/me/drive/root']).toBe(3);
  });

  it('fetches an access token first when it starts without one', async () => {
    const lazy = createOneDriveConnector({
      baseUrl: emu.url,
      oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/common/oauth2/v2.0/token` },
      tokens: { accessToken: null, refreshToken, expiresAt: null },
      onTokens: (t) => void issued.push(t),
    });
    expect((await lazy.list('/')).entries).toEqual([]);
    expect(issued).toHaveLength(1);
  });

  it('answers fatal_connection when the refresh token was revoked', async () => {
    await control('/tokens/revoke', { refresh_token: refreshToken });
    await control('/tokens/expire');
    const err = await expectKind(c.list('/'), 'fatal_connection');
    expect(err.message).toContain('re-authorization');
    expect(issued).toHaveLength(0);
  });

  it('classifies 429 TooManyRequests / activityLimitReached and 503 as retryable with Retry-After', async () => {
    emu.faults.update({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await c.stat('/');
    const throttled = await expectKind(c.stat('/'), 'retryable');
    expect(throttled.retryAfterMs).toBe(2000);
    expect(throttled.message).toContain('429 TooManyRequests');
    emu.throttleStyle = 'activityLimitReached';
    expect((await expectKind(c.stat('/'), 'retryable')).message).toContain('activityLimitReached');
    emu.throttleStyle = '503';
    const unavailable = await expectKind(c.stat('/'), 'retryable');
    expect(unavailable.retryAfterMs).toBe(2000);
    expect(unavailable.message).toContain('503');
    expect(issued).toHaveLength(0);
  });

  it('classifies 5xx and resets mid-download as retryable', async () => {
    const data = Buffer.alloc(200 * KiB, 9);
    await c.write('/r.bin', Readable.from([data]), { overwrite: false, size: data.length });
    emu.faults.update({ failNext: 1 });
    const err = await expectKind(c.stat('/r.bin'), 'retryable');
    expect(err.message).toContain('500 generalException');
    emu.faults.update({ resetNext: 1 });
    await expectKind(readAll('/r.bin'), 'retryable');
    expect((await readAll('/r.bin')).equals(data)).toBe(true);
  });

  it('gets every operation through bursts of failures with a small retry loop', async () => {
    const data = Buffer.from(Array.from({ length: 1600 * KiB }, (_, i) => (i * 13) % 256));
    emu.faults.update({ failNext: 2 });
    expect((await retrying(() => c.mkdir('/x/y'))).failures).toHaveLength(2);
    let session: UploadSession | null = null;
    let writes = 0;
    const result = await retrying(async () => {
      if (++writes === 2) emu.faults.update({ failNext: 1 });
      const from = session?.offset ?? 0;
      return c.write('/x/y/big.bin', Readable.from([data.subarray(from)]), {
        overwrite: false,
        size: data.length,
        session,
        onSession: (s) => {
          session = s;
          // Fail the next fragment once the upload is under way.
          if (writes === 1 && s.offset === 640 * KiB) emu.faults.update({ failNext: 1 });
        },
      });
    });
    expect(result.failures.length).toBeGreaterThanOrEqual(2);
    expect(result.value.checksum).toEqual({ algorithm: 'quickxor', value: qxh(data) });
    expect(emu.store.children(emu.store.walk(emu.store.get('root')!, ['x', 'y'])!.id)).toHaveLength(1);
    emu.faults.update({ resetNext: 1 });
    const read = await retrying(() => readAll('/x/y/big.bin'));
    expect(read.failures).toHaveLength(1);
    expect(read.value.equals(data)).toBe(true);
    // Each list looks the folder up and lists it: two requests, as many as a second allows.
    emu.faults.update({ rateLimitPerSecond: 2, retryAfterSeconds: 1 });
    const failures: ConnectorError[] = [];
    for (let i = 0; i < 3; i++) {
      const listed = await retrying(() => c.list('/x/y'));
      expect(listed.value.entries.map((e) => e.name)).toEqual(['big.bin']);
      failures.push(...listed.failures);
    }
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.every((f) => f.retryAfterMs === 1000)).toBe(true);
  });
});
