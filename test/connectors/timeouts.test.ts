// Every cloud request has a deadline (connectors/http.ts): a request the service never answers, an
// answer whose body stops half-way and an upload nobody acknowledges each fail within the configured
// limits — as retryable errors, so the engine tries again — instead of holding the call for ever.
// The emulators leave the connection open without a word (a half-open socket), as a dead peer would.
import { setHttpTimeouts, DEFAULT_HTTP_TIMEOUTS } from '../../connectors/http';
import { connect, DROPBOX, GOOGLE_DRIVE, ONEDRIVE, useEmulator, type CloudSpec } from './cloud-targets';
import { expectKind } from './local-helpers';
import { readAll, streamOf } from './streams';
import type { CloudEmulator } from './cloud-targets';

const LIMIT_MS = 1_000;
/** The limit, plus time for the answer to be noticed on a loaded machine. */
const WITHIN_MS = 5_000;

beforeAll(() => setHttpTimeouts({ connectMs: 2_000, headersMs: LIMIT_MS, idleMs: LIMIT_MS }));
afterAll(() => setHttpTimeouts(DEFAULT_HTTP_TIMEOUTS));

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe.each([GOOGLE_DRIVE, ONEDRIVE, DROPBOX] as CloudSpec<CloudEmulator>[])('$service', (spec) => {
  const h = useEmulator(spec);

  it('a request never answered fails as retryable within the response timeout', async () => {
    await connect(spec, h.emu).c.mkdir('/kept');
    // A connector of its own: the one that made the folder may know it without asking (Drive).
    const { c } = connect(spec, h.emu);
    h.emu.faults.update({ stallNext: 1 });
    const { ms } = await timed(expectKind(c.stat('/kept'), 'retryable'));
    expect(h.emu.counters.stalls).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS - 100);
    expect(ms).toBeLessThan(WITHIN_MS);
    // The next call goes through as usual.
    expect((await c.stat('/kept')).type).toBe('folder');
  });

  it('a download that stops half-way fails within the idle timeout', async () => {
    const { c } = connect(spec, h.emu);
    const data = Buffer.alloc(512 * 1024, 7);
    await c.write('/half.bin', streamOf(data), { overwrite: false, size: data.length });
    h.emu.faults.update({ stallDownloadNext: 1 });
    const { value: error, ms } = await timed(
      readAll(c, '/half.bin').then(
        () => null,
        (err: unknown) => err,
      ),
    );
    expect(error).toBeInstanceOf(Error);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect((await readAll(c, '/half.bin')).equals(data)).toBe(true);
  });

  it('an upload nobody acknowledges fails as retryable within the response timeout', async () => {
    const { c } = connect(spec, h.emu);
    const data = Buffer.alloc(2 * 1024 * 1024, 3);
    h.emu.faults.update({ stallNext: 1 });
    const { ms } = await timed(
      expectKind(c.write('/up.bin', streamOf(data), { overwrite: false, size: data.length }), 'retryable'),
    );
    expect(h.emu.counters.stalls).toBe(1);
    expect(ms).toBeLessThan(WITHIN_MS);
  });
});
