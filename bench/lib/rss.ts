// Memory and CPU time of another process from /proc (Linux): VmHWM is the peak resident set since the
// process started, VmRSS the current one. A sampler keeps a coarse series, to show whether memory stays flat.
import fs from 'node:fs';

export interface ProcMemory {
  /** Peak resident set size, bytes. */
  peakRss: number;
  /** Current resident set size, bytes. */
  rss: number;
}

/** Undefined when the process is gone or /proc is not there (not Linux). */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakRss: kb('VmHWM') * 1024, rss: kb('VmRSS') * 1024 };
}

export class RssSampler {
  readonly samples: { atMs: number; rss: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = Date.now();

  constructor(
    private readonly pid: number,
    private readonly everyMs = 1000,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  /** Stops sampling; answers the kernel's peak (VmHWM) and the largest sample seen. */
  stop(): { peakRss: number | null; maxSampledRss: number | null } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const mem = readProcMemory(this.pid);
    const max = this.samples.reduce((m, s) => Math.max(m, s.rss), 0);
    return { peakRss: mem?.peakRss ?? null, maxSampledRss: this.samples.length ? max : null };
  }

  private sample(): void {
    const mem = readProcMemory(this.pid);
    if (mem) this.samples.push({ atMs: Date.now() - this.t0, rss: mem.rss });
  }
}

/** User + system CPU time the process has used so far, ms (undefined when it is gone). */
export function readProcCpuMs(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (ms) of each kind of thread of a process so far, by thread name with digits dropped:
 * `main` is the JavaScript main thread, `node` the threads Node leaves unnamed (its file-system
 * thread pool, V8's compiler and GC helpers), `tokio-runtime-w` Temporal's core (Rust),
 * `workflow-proces` the workflow thread. Exited threads are not counted.
 */
export function readThreadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name =
        tid === String(pid)
          ? 'main'
          : stat
              .slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
              .replace(/[\d#]+/g, '')
              .trim();
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      out[name] = (out[name] ?? 0) + ms;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** `after - before` per thread kind (a kind absent before counts from 0). */
export function threadCpuDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, ms] of Object.entries(after)) {
    const d = ms - (before[name] ?? 0);
    if (d > 0) out[name] = Math.round(d);
  }
  return out;
}
