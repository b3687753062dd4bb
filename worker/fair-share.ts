// Fair shares of one worker between accounts. The copy threads already take each tenant's chunks in
// turn, but one account's long migration keeps the worker's cores busy around them too (its batches'
// item rows, heartbeats, listing, workflow tasks, the Temporal server's work for them), so another
// account's small migration ran three to four times slower beside it than alone. While several
// accounts have work on this worker, each may run at most its share of the heavy activities (copies
// and explorations): the worker's slots divided by the accounts active here. The others wait, before
// they start, for one of their own to end. One copy activity can keep every copy thread busy, so each
// account's part of the threads is capped the same way (connectors/local/copy-threads.ts). An account
// counts as active from any activity of its (a local one included) until `lingerMs` after its last one
// ended, so the short gaps between a small migration's steps do not hand the cores back to the long
// one. Alone, an account is never held.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { headerLogIds } from './log-ids';

export interface FairShareOptions {
  /** Heavy activities one account may run while it is alone; shared out while others are active. */
  slots: number;
  /** How long an account stays active after its last activity here ended. */
  lingerMs?: number;
  now?: () => number;
}

const DEFAULT_LINGER_MS = 2_000;

export class FairShare {
  private readonly running = new Map<string, number>();
  private readonly lastSeen = new Map<string, number>();
  /** Settles when an activity ends (and is replaced): waiters look again then. */
  private ended: Promise<void>;
  private wakeWaiters!: () => void;
  private readonly lingerMs: number;
  private readonly now: () => number;

  constructor(private readonly options: FairShareOptions) {
    this.lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    this.now = options.now ?? Date.now;
    this.ended = this.nextEnd();
  }

  private nextEnd(): Promise<void> {
    return new Promise((resolve) => (this.wakeWaiters = resolve));
  }

  /** Marks `account` active now (any activity of its, heavy or not). */
  touch(account: string): void {
    this.lastSeen.set(account, this.now());
  }

  /** Accounts active here now: running something, or within the linger of their last activity. */
  activeAccounts(): number {
    const since = this.now() - this.lingerMs;
    let n = 0;
    for (const [account, at] of this.lastSeen) {
      if ((this.running.get(account) ?? 0) > 0 || at >= since) n++;
      else this.lastSeen.delete(account);
    }
    return n;
  }

  /**
   * `account`'s part of `total` now: no limit while no other account is active here, else an equal
   * share, at least one. Also sizes its part of the copy threads (worker/main.ts).
   */
  portion(account: string, total: number): number {
    const active = this.activeAccounts();
    if (active <= 1 || !this.lastSeen.has(account)) return Infinity;
    return Math.max(1, Math.floor(total / active));
  }

  /** Whether `account` may start one more heavy activity now. */
  mayStart(account: string): boolean {
    this.touch(account);
    return (this.running.get(account) ?? 0) < this.portion(account, this.options.slots);
  }

  /**
   * Waits until `account` may start a heavy activity, then counts it running; answers its release.
   * `keepAlive` runs about every `pollMs` while waiting (a heartbeat); a linger ending frees no one,
   * so waiters also look again at that pace.
   */
  async enter(
    account: string,
    opts: { signal?: AbortSignal; keepAlive?: () => void; pollMs?: number } = {},
  ): Promise<() => void> {
    while (!this.mayStart(account)) {
      opts.keepAlive?.();
      const poll = sleep(opts.pollMs ?? 500, undefined, { signal: opts.signal });
      await Promise.race([this.ended, poll]).catch(() => {
        // Cancelled: reported as the signal's own reason (the SDK recognises it).
        throw opts.signal?.reason;
      });
    }
    this.running.set(account, (this.running.get(account) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(account) ?? 1) - 1;
      if (left > 0) this.running.set(account, left);
      else this.running.delete(account);
      this.touch(account);
      const wake = this.wakeWaiters;
      this.ended = this.nextEnd();
      wake();
    };
  }
}

/** Activities that hold the worker's cores for long: the ones an account's share counts. */
const HEAVY = new Set(['copyFiles', 'exploreSource']);

/** Activity interceptor: every activity marks its account active; heavy ones wait for their share. */
export function fairShareInterceptor(share: FairShare): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const account = headerLogIds(input.headers).accountId;
        if (!account) return next(input);
        share.touch(account);
        // Any activity keeps its account active until the linger after it ends; heavy ones wait their turn.
        const release = HEAVY.has(ctx.info.activityType)
          ? await share.enter(account, {
              signal: ctx.cancellationSignal,
              // What the last attempt left stays for a retry (copy checkpoints travel in heartbeats).
              keepAlive: () => ctx.heartbeat(ctx.info.heartbeatDetails),
            })
          : () => share.touch(account);
        try {
          return await next(input);
        } finally {
          release();
        }
      },
    },
  });
}
