// A copy batch reports its finished files in groups, at most once per interval and once at the end:
// first the destination makes their writes durable (Connector.flush: one fsync per folder for the
// whole group with LOCAL_FSYNC=batch), then they go into the heartbeat and the store, so nothing a
// retry trusts was reported before it was on disk. Grouping also spares a heartbeat per file.

export class Checkpoints {
  private done: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastMs = Date.now();

  /** `report` gets the indexes of the files finished since the last checkpoint. */
  constructor(
    private readonly everyMs: number,
    private readonly report: (indexes: number[]) => Promise<void>,
  ) {}

  /** File `index` is finished: it is reported at the next checkpoint, at most `everyMs` from the last. */
  finished(index: number): void {
    this.done.push(index);
    if (this.timer) return;
    const wait = Math.max(0, this.lastMs + this.everyMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failure keeps the files for the next checkpoint, whose caller sees it.
      this.now().catch(() => undefined);
    }, wait);
  }

  /** Reports every file finished so far, after any checkpoint already under way. */
  now(): Promise<void> {
    const run = this.running.then(async () => {
      const indexes = this.done.splice(0);
      if (indexes.length === 0) return;
      try {
        await this.report(indexes);
      } catch (err) {
        this.done.unshift(...indexes);
        throw err;
      } finally {
        this.lastMs = Date.now();
      }
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
