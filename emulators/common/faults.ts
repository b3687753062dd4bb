// Fault injection shared by every emulator: a request rate limit answered with the provider's own
// throttling response, random 5xx answers, added latency, connections reset in the middle of a
// response body, requests never answered (a half-open connection) and paced downloads. Settings
// change at run time through the control API (control.ts).
import type { NextFunction, Request, Response } from 'express';
import type { Counters } from './counters';

export interface FaultSettings {
  /** Requests per second allowed (token bucket, burst = one second's worth); 0 = unlimited. */
  rateLimitPerSecond: number;
  /** Seconds the throttling answer asks the client to wait (Retry-After). */
  retryAfterSeconds: number;
  /** Probability (0–1) that a request is answered with a 5xx. */
  errorRate: number;
  /** Milliseconds added before each answer. */
  latencyMs: number;
  /** Probability (0–1) that a download's connection is reset after part of the body. */
  resetRate: number;
  /** The next N requests fail with 5xx (deterministic bursts for tests). */
  failNext: number;
  /** The next N downloads are reset mid-body. */
  resetNext: number;
  /**
   * Probability (0–1) that an upload (a request carrying 1 KiB or more) has its connection reset
   * after part of its body arrived: the service stores nothing, the client sees a network error.
   */
  uploadResetRate: number;
  /** The next N uploads are reset mid-body. */
  uploadResetNext: number;
  /**
   * Probability (0–1) that a request which changes something (POST, PUT, PATCH, DELETE) is carried
   * out but its answer is lost: the connection resets instead. A client that retries blindly repeats
   * the change (a second file of the same name on Drive).
   */
  loseAnswerRate: number;
  /** The next N changing requests are carried out with their answer lost. */
  loseAnswerNext: number;
  /** The next N requests get the throttling answer (a deterministic 429 storm, besides the rate limit). */
  throttleNext: number;
  /**
   * The next N uploads are stored with one byte changed, as a faulty network or disk would; the
   * emulator then reports the hash of what it stored, so a verifying client sees the mismatch.
   */
  corruptNext: number;
  /** The next N requests are never answered, nor their connection closed (a half-open socket). */
  stallNext: number;
  /** The next N downloads send part of the body (about half), then nothing more, forever. */
  stallDownloadNext: number;
  /** Downloads are sent at most this fast, in bytes per second (0 = unlimited). */
  downloadBytesPerSecond: number;
}

export const defaultFaults = (): FaultSettings => ({
  rateLimitPerSecond: 0,
  retryAfterSeconds: 1,
  errorRate: 0,
  latencyMs: 0,
  resetRate: 0,
  failNext: 0,
  resetNext: 0,
  uploadResetRate: 0,
  uploadResetNext: 0,
  loseAnswerRate: 0,
  loseAnswerNext: 0,
  throttleNext: 0,
  corruptNext: 0,
  stallNext: 0,
  stallDownloadNext: 0,
  downloadBytesPerSecond: 0,
});

/** How a provider answers when throttled or failing; each emulator supplies its own bodies. */
export interface FaultResponses {
  throttled(res: Response, retryAfterSeconds: number): void;
  serverError(res: Response): void;
}

export class Faults {
  settings: FaultSettings = defaultFaults();
  private tokens = 0;
  private lastRefill = Date.now();

  constructor(
    private readonly responses: FaultResponses,
    private readonly counters: Counters,
  ) {}

  update(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...patch };
    this.tokens = this.settings.rateLimitPerSecond;
    this.lastRefill = Date.now();
    return this.settings;
  }

  reset(): void {
    this.update(defaultFaults());
  }

  /** Express middleware for the provider's API routes (never for /_emulator). */
  middleware = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const s = this.settings;
    if (s.latencyMs > 0) {
      // Hold the body meanwhile: flowing into the counters' listener alone, it would be gone before
      // the body parser runs (an upload would store nothing).
      req.pause();
      // A latency raised meanwhile (a test holding the service) holds requests already waiting too.
      const start = Date.now();
      let left = s.latencyMs;
      while (left > 0 && !req.socket.destroyed) {
        await waitForClient(req, left);
        left = this.settings.latencyMs - (Date.now() - start);
      }
      // A client gone meanwhile (a killed worker): its request never reached the service.
      if (req.socket.destroyed) return;
      setImmediate(() => req.resume());
    }
    if (s.stallNext > 0) {
      s.stallNext--;
      this.counters.stalls++;
      // Takes the body (so the client's upload completes) and never answers.
      req.resume();
      return;
    }
    const storm = s.throttleNext > 0;
    if (storm) s.throttleNext--;
    if (storm || !this.takeToken()) {
      this.counters.throttled++;
      this.responses.throttled(res, s.retryAfterSeconds);
      return;
    }
    if (s.failNext > 0 || (s.errorRate > 0 && Math.random() < s.errorRate)) {
      if (s.failNext > 0) s.failNext--;
      this.counters.serverErrors++;
      this.responses.serverError(res);
      return;
    }
    if (isUpload(req) && this.draw('uploadResetNext', 'uploadResetRate')) {
      this.counters.uploadResets++;
      cutOffUpload(req);
      return;
    }
    if (CHANGING.has(req.method) && this.draw('loseAnswerNext', 'loseAnswerRate')) {
      this.counters.lostAnswers++;
      loseAnswer(res);
    }
    // Upload handlers find the faults here (see corruptUpload).
    res.locals.faults = this;
    next();
  };

  /** The uploaded `content`, or a copy with one byte changed when corruption was asked for. */
  corrupt(content: Buffer): Buffer {
    if (this.settings.corruptNext <= 0 || content.length === 0) return content;
    this.settings.corruptNext--;
    const copy = Buffer.from(content);
    const at = Math.floor(copy.length / 2);
    copy[at] = copy[at]! ^ 0xff;
    return copy;
  }

  /** True when this download should be cut off part-way (call once per download). */
  shouldResetDownload(): boolean {
    const s = this.settings;
    const reset = s.resetNext > 0 || (s.resetRate > 0 && Math.random() < s.resetRate);
    if (s.resetNext > 0) s.resetNext--;
    if (reset) this.counters.resets++;
    return reset;
  }

  /** Whether a fault of this kind strikes now: the next-N count first, else at random. */
  private draw(
    next: 'uploadResetNext' | 'loseAnswerNext',
    rate: 'uploadResetRate' | 'loseAnswerRate',
  ): boolean {
    const s = this.settings;
    if (s[next] > 0) {
      s[next]--;
      return true;
    }
    return s[rate] > 0 && Math.random() < s[rate];
  }

  private takeToken(): boolean {
    const rate = this.settings.rateLimitPerSecond;
    if (rate <= 0) return true;
    const now = Date.now();
    this.tokens = Math.min(rate, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UPLOAD_MIN_BYTES = 1024;

/** A request carrying file content: 1 KiB or more, or a body of unannounced length. */
function isUpload(req: Request): boolean {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return false;
  const length = Number(req.headers['content-length'] ?? NaN);
  return Number.isNaN(length) ? req.headers['transfer-encoding'] !== undefined : length >= UPLOAD_MIN_BYTES;
}

/** Takes part of the request body (about half, at least one chunk), then resets the connection. */
function cutOffUpload(req: Request): void {
  const length = Number(req.headers['content-length'] ?? 0);
  let seen = 0;
  const cut = () => req.socket.destroy();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen >= length / 2) cut();
  });
  req.on('end', cut);
  req.resume();
}

/** The request goes on to its handler, but whatever it answers, the connection resets instead. */
function loseAnswer(res: Response): void {
  const drop = () => {
    res.socket?.destroy();
    return res;
  };
  res.writeHead = drop as unknown as typeof res.writeHead;
  res.write = (() => (drop(), true)) as unknown as typeof res.write;
  res.end = drop as unknown as typeof res.end;
}

/** What an upload handler stores: `content`, corrupted if the faults of this request say so. */
export function corruptUpload(res: Response, content: Buffer): Buffer {
  const faults = res.locals.faults as Faults | undefined;
  return faults ? faults.corrupt(content) : content;
}

/** Pieces a paced or stalled download is sent in. */
const PACE_CHUNK = 64 * 1024;

/**
 * Sends a download's `body` as the faults of this emulator say: whole; cut off after roughly half
 * (the socket destroyed, as a network failure mid-download looks to the client); stalled after about
 * half (never finished nor closed); and no faster than `downloadBytesPerSecond`.
 */
export function sendDownload(res: Response, body: Buffer, faults: Faults): void {
  const reset = faults.shouldResetDownload();
  const s = faults.settings;
  const stall = s.stallDownloadNext > 0 && body.length >= 2;
  if (stall) s.stallDownloadNext--;
  const half = Math.floor(body.length / 2);
  if (!stall && s.downloadBytesPerSecond <= 0) {
    if (!reset || body.length < 2) res.end(body);
    else res.write(body.subarray(0, half), () => res.socket?.destroy());
    return;
  }
  const rate = s.downloadBytesPerSecond;
  const stop = reset || stall ? half : body.length;
  const started = Date.now();
  let sent = 0;
  const next = (): void => {
    if (res.destroyed || res.socket?.destroyed) return;
    if (sent >= stop) {
      if (reset) res.socket?.destroy();
      else if (!stall) res.end();
      return;
    }
    const piece = body.subarray(sent, Math.min(stop, sent + PACE_CHUNK));
    sent += piece.length;
    const due = rate > 0 ? started + (sent / rate) * 1000 : Date.now();
    const go = () => setTimeout(next, Math.max(0, due - Date.now()));
    if (res.write(piece)) go();
    else res.once('drain', go);
  };
  next();
}

/** Waits `ms`, or less if the client leaves meanwhile (a long hold leaves no timer behind). */
function waitForClient(req: Request, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
  });
}
