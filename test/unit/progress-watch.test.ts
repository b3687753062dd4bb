// The progress watch of a transfer: bytes are counted as they pass; a source that stops sending, or
// a destination that stops reading, fails the stream with a retryable error after the stall limit —
// and a slow transfer that keeps moving is left alone.
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { watchProgress } from '../../activities/copy/progress-watch';
import { isConnectorError } from '../../connectors/types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Yields `pieces` pieces of 1 KiB, `gapMs` apart, then hangs for ever when `hang` is set. */
const source = (pieces: number, gapMs: number, hang = false) =>
  Readable.from(
    (async function* () {
      for (let i = 0; i < pieces; i++) {
        await sleep(gapMs);
        yield Buffer.alloc(1024, i);
      }
      if (hang) await new Promise(() => undefined);
    })(),
  );

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

it('counts every byte of a slow transfer that keeps moving', async () => {
  let counted = 0;
  const watched = watchProgress(source(6, 40), { stallMs: 150, onBytes: (n) => (counted += n) });
  await pipeline(watched, sink());
  expect(counted).toBe(6 * 1024);
});

it('fails a source that stops sending, as retryable, and destroys it', async () => {
  const input = source(2, 10, true);
  const started = Date.now();
  const error = await pipeline(watchProgress(input, { stallMs: 200 }), sink()).then(
    () => null,
    (err: unknown) => err,
  );
  expect(isConnectorError(error, 'retryable')).toBe(true);
  expect((error as Error).message).toBe('The transfer stalled: no bytes moved for 0.2 s');
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(input.destroyed).toBe(true);
});

it('fails when the destination stops reading', async () => {
  const input = new PassThrough();
  const watched = watchProgress(input, { stallMs: 200 });
  // Nobody reads: once the buffers are full, nothing moves.
  const errored = new Promise((resolve) => watched.on('error', resolve));
  for (let i = 0; i < 64; i++) input.write(Buffer.alloc(64 * 1024));
  const error = await errored;
  expect(isConnectorError(error, 'retryable')).toBe(true);
});

it('passes a source error on as it is', async () => {
  const input = new PassThrough();
  const watched = watchProgress(input, { stallMs: 10_000 });
  const done = pipeline(watched, sink());
  input.destroy(new Error('connection reset'));
  await expect(done).rejects.toThrow('connection reset');
});
