// A test-only connector that gets through injected faults as a migration activity would: it retries
// `retryable` failures after the service's Retry-After (capped small), re-opens a download that was cut
// off from the byte it got to, and restarts a failed write from the last upload session the connector
// reported, re-creating the input from what it has read of the caller's stream so far.
import { Readable } from 'node:stream';
import type { UploadSession } from '../../connectors/cloud';
import type { Connector, ConnectorError, WriteOptions } from '../../connectors/types';
import { backoff, isRetryable, retrying, type RetryPolicy, TEST_RETRY } from './fault-helpers';

export interface RetryingConnector extends Connector {
  /** Every retryable failure it absorbed, in order. */
  readonly failures: ConnectorError[];
}

export function retryingConnector(inner: Connector, policy: RetryPolicy = TEST_RETRY): RetryingConnector {
  const failures: ConnectorError[] = [];
  const retry = async <T>(fn: () => Promise<T>): Promise<T> => (await retrying(fn, policy, failures)).value;

  async function* resumingRead(path: string, first: Readable, start: number): AsyncGenerator<Buffer> {
    let stream = first;
    let at = start;
    for (let failed = 0; ;) {
      try {
        for await (const chunk of stream) {
          at += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        return;
      } catch (err) {
        if (!isRetryable(err) || ++failed > policy.maxFailures) throw err;
        failures.push(err);
        await backoff(err, policy);
        stream = await retry(() => inner.openRead(path, { start: at }));
      }
    }
  }

  async function write(path: string, data: Readable, options: WriteOptions) {
    const input = new ReplayableInput(data, options.session?.offset ?? 0);
    let session = options.session ?? null;
    const onSession = (s: UploadSession) => {
      session = s;
      options.onSession?.(s);
    };
    try {
      return await retry(() =>
        inner.write(path, input.from(session?.offset ?? input.base), { ...options, session, onSession }),
      );
    } finally {
      data.destroy();
    }
  }

  return {
    service: inner.service,
    features: inner.features,
    failures,
    list: (path, opts) => retry(() => inner.list(path, opts)),
    stat: (path) => retry(() => inner.stat(path)),
    mkdir: (path) => retry(() => inner.mkdir(path)),
    openRead: async (path, opts = {}) => {
      const first = await retry(() => inner.openRead(path, opts));
      return Readable.from(resumingRead(path, first, opts.start ?? 0));
    },
    write,
    // Optional members pass through (retried where they call the service), so none is lost here.
    ...(inner.delete && { delete: (path: string) => retry(() => inner.delete!(path)) }),
    ...(inner.flush && { flush: () => inner.flush!() }),
    ...(inner.abortUpload && { abortUpload: inner.abortUpload.bind(inner) }),
    ...(inner.changes && { changes: inner.changes }),
  };
}

/**
 * The caller's write input, kept as it is read, so each attempt can start from any offset already
 * read. Reads of the source are serialised: an abandoned attempt's stream may still be pulling.
 */
class ReplayableInput {
  private readonly pieces: Buffer[] = [];
  private failure: unknown;
  private ended = false;
  private pulling: Promise<void> = Promise.resolve();
  private readonly source: AsyncIterator<Buffer | string>;

  constructor(
    data: Readable,
    /** The offset of the input's first byte in the file. */
    readonly base: number,
  ) {
    this.source = data[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  }

  /** A fresh stream of the input from file offset `offset`. */
  from(offset: number): Readable {
    return Readable.from(this.bytesFrom(offset - this.base));
  }

  private async *bytesFrom(start: number): AsyncGenerator<Buffer> {
    for (let at = start; ;) {
      const piece = this.pieceAt(at);
      if (piece) {
        at += piece.length;
        yield piece;
      } else if (this.ended) {
        return;
      } else {
        await this.pull();
      }
    }
  }

  /** The bytes already read from `at` to the end of the piece holding it. */
  private pieceAt(at: number): Buffer | null {
    let offset = 0;
    for (const p of this.pieces) {
      if (at < offset + p.length) return p.subarray(at - offset);
      offset += p.length;
    }
    return null;
  }

  /** Reads one more piece of the source, after any read still under way; rethrows its error. */
  private pull(): Promise<void> {
    const next = this.pulling.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return;
      try {
        const r = await this.source.next();
        if (r.done) this.ended = true;
        else this.pieces.push(typeof r.value === 'string' ? Buffer.from(r.value) : r.value);
      } catch (err) {
        this.failure = err;
        throw err;
      }
    });
    this.pulling = next.catch(() => undefined);
    return next;
  }
}
