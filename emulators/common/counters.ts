// Request counters for tests and benchmarks: per endpoint, throttled and failed answers, downloads
// reset mid-body, bytes moved.
import type { NextFunction, Request, Response } from 'express';

export class Counters {
  requests: Record<string, number> = {};
  throttled = 0;
  serverErrors = 0;
  /** Downloads cut off mid-body by fault injection. */
  resets = 0;
  /** Uploads whose connection was reset mid-body by fault injection. */
  uploadResets = 0;
  /** Changes carried out whose answer fault injection dropped. */
  lostAnswers = 0;
  /** Requests fault injection left unanswered. */
  stalls = 0;
  bytesIn = 0;
  bytesOut = 0;

  /** Counts `key` (e.g. "POST /2/files/upload") once. */
  count(key: string): void {
    this.requests[key] = (this.requests[key] ?? 0) + 1;
  }

  total(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.requests = {};
    this.throttled = 0;
    this.serverErrors = 0;
    this.resets = 0;
    this.uploadResets = 0;
    this.lostAnswers = 0;
    this.stalls = 0;
    this.bytesIn = 0;
    this.bytesOut = 0;
  }

  snapshot() {
    return {
      requests: { ...this.requests },
      total: this.total(),
      throttled: this.throttled,
      server_errors: this.serverErrors,
      resets: this.resets,
      upload_resets: this.uploadResets,
      lost_answers: this.lostAnswers,
      stalls: this.stalls,
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
    };
  }

  /**
   * Middleware counting every API request by method and a normalised path (`keyOf`, e.g. ids replaced
   * by placeholders), and the bytes of request and response bodies.
   */
  middleware(keyOf: (req: Request) => string) {
    return (req: Request, res: Response, next: NextFunction): void => {
      this.count(keyOf(req));
      req.on('data', (chunk: Buffer) => (this.bytesIn += chunk.length));
      const write = res.write.bind(res);
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk) this.bytesOut += Buffer.byteLength(chunk as Buffer);
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof res.write;
      const end = res.end.bind(res);
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') this.bytesOut += Buffer.byteLength(chunk as Buffer);
        return (end as (...a: unknown[]) => Response)(chunk, ...rest);
      }) as typeof res.end;
      next();
    };
  }
}
