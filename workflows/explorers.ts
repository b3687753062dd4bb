// Explorations of the source in flight at once. Listing one folder is mostly waiting on the service
// (~150 ms a request on a cloud), so one migration lists several parts of its frontier at a time; the
// connectors' request budgets keep the total within the provider's quota. Results are taken one at a
// time by the workflow's listing loop, which alone touches the frontier (its spills and refills are
// activities, so two callers could interleave).
import { condition } from '@temporalio/workflow';

export const DEFAULT_LISTING_CONCURRENCY = 8;

export class Explorers<T> {
  private running = 0;
  private readonly done: T[] = [];
  private failure: { error: unknown } | null = null;

  constructor(readonly limit: number) {}

  /** None in flight and no result waiting. */
  get idle(): boolean {
    return this.running === 0 && this.done.length === 0;
  }

  get inFlight(): number {
    return this.running;
  }

  start(explore: () => Promise<T>): void {
    this.running++;
    explore()
      .then(
        (result) => void this.done.push(result),
        (error: unknown) => void (this.failure ??= { error }),
      )
      .finally(() => this.running--);
  }

  /**
   * The next finished exploration (the first failure is thrown); undefined once none is in flight, or
   * when `wake` holds first.
   */
  async next(wake?: () => boolean): Promise<T | undefined> {
    await condition(
      () => this.done.length > 0 || this.failure !== null || this.running === 0 || wake?.() === true,
    );
    if (this.failure) throw this.failure.error;
    return this.done.shift();
  }

  /** Resolves once every exploration in flight has ended (after their scope was cancelled). */
  settled(): Promise<void> {
    return condition(() => this.running === 0);
  }
}
