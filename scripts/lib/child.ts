// One long-running child process under supervision: prefixed (or file-bound) output, restart with backoff
// when it dies unexpectedly, and an orderly stop (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append output to this file instead of prefixing it onto our stdout/stderr. */
  logFile?: string;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  /** Restarts allowed in a row; a child that stayed up for `stableAfterMs` earns its budget back. */
  maxRestarts?: number;
  stableAfterMs?: number;
  /** First restart delay; doubled on each further restart. */
  backoffMs?: number;
}

export type ChildEvent =
  | { type: 'restarting'; name: string; code: number | null; signal: string | null; delayMs: number }
  | { type: 'gave-up'; name: string; code: number | null; signal: string | null };

/** Logs each restart of a supervised child; `gaveUp` hears of one that keeps failing. */
export function reportChildEvents(log: (line: string) => void, gaveUp: (name: string) => void) {
  return (event: ChildEvent): void => {
    const how = event.signal ?? `code ${event.code}`;
    if (event.type === 'restarting') {
      log(`${event.name} exited (${how}); restarting in ${event.delayMs} ms`);
    } else {
      log(`${event.name} keeps failing (${how}); stopping everything`);
      gaveUp(event.name);
    }
  };
}

export class SupervisedChild {
  private proc: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly spec: ChildSpec,
    private readonly onEvent: (event: ChildEvent) => void = () => {},
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(): void {
    const { spec } = this;
    this.startedAt = Date.now();
    // Own process group: a terminal Ctrl-C reaches only the supervisor, which then stops children in order.
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.proc = proc;
    if (spec.logFile) {
      // Two streams into one file: neither may end it; the process's exit does.
      const file = fs.createWriteStream(spec.logFile, { flags: 'a' });
      proc.stdout?.pipe(file, { end: false });
      proc.stderr?.pipe(file, { end: false });
      proc.once('close', () => file.end());
    } else {
      prefixLines(proc.stdout, process.stdout, spec.name);
      prefixLines(proc.stderr, process.stderr, spec.name);
    }
    proc.on('error', (err) => process.stderr.write(`[${spec.name}] failed to start: ${err.message}\n`));
    proc.on('exit', (code, signal) => this.onExit(code, signal));
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.stopping) return;
    if (Date.now() - this.startedAt >= (this.spec.stableAfterMs ?? 60_000)) this.restarts = 0;
    if (this.restarts >= (this.spec.maxRestarts ?? 5)) {
      this.onEvent({ type: 'gave-up', name: this.spec.name, code, signal });
      return;
    }
    const delayMs = (this.spec.backoffMs ?? 1000) * 2 ** this.restarts;
    this.restarts += 1;
    this.onEvent({ type: 'restarting', name: this.spec.name, code, signal, delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping) this.start();
    }, delayMs);
  }

  /** Resolves once the child has exited (or was not running). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    signalGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(proc, 'SIGKILL'), this.spec.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Last resort when the supervisor itself is exiting abruptly: synchronous, no waiting. */
  kill(): void {
    this.stopping = true;
    if (this.proc && this.running) signalGroup(this.proc, 'SIGKILL');
  }
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole group, so grandchildren (if any) go too.
    process.kill(-(proc.pid as number), signal);
  } catch {
    proc.kill(signal);
  }
}

function prefixLines(input: Readable | null, output: Writable, name: string): void {
  if (!input) return;
  readline
    .createInterface({ input, crlfDelay: Infinity })
    .on('line', (line) => output.write(`[${name}] ${line}\n`));
}
