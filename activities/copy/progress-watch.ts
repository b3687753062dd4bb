// A transfer must keep moving. Every byte on its way to the destination passes here: it is counted
// (the batch heartbeats the total, so an operator sees bytes move, not only a live process), and when
// none has passed for `stallMs` — a half-open socket, a source or destination that stopped answering
// without an error — the stream fails with a retryable error, so the destination's write ends and the
// copy is tried again (a large file from its upload session).
import { pipeline, Transform, type Readable } from 'node:stream';
import { ConnectorError } from '../../connectors/types';

export interface ProgressWatch {
  /** Longest pause between two pieces of a transfer. */
  stallMs: number;
  /** Told the size of every piece that passed. */
  onBytes?(bytes: number): void;
}

/** `input` as the destination should read it: counted and failed when it stalls. */
export function watchProgress(input: Readable, watch: ProgressWatch): Readable {
  const { stallMs, onBytes } = watch;
  const seconds = Math.round(stallMs / 100) / 10;
  const stalled = () =>
    out.destroy(new ConnectorError('retryable', `The transfer stalled: no bytes moved for ${seconds} s`));
  const timer = setTimeout(stalled, stallMs);
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      timer.refresh();
      onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  // While the destination does not read, nothing moves either: that counts as a stall too.
  out.on('close', () => clearTimeout(timer));
  // A failure on either side destroys both; errors reach the destination through `out` (the callback
  // only keeps them handled once nobody reads any more).
  return pipeline(input, out, () => undefined);
}
