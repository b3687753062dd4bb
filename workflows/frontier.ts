// The folders a migration still has to list (its frontier) are a stack: the top (listed next) stays in
// the workflow, the bottom moves to the store once the stack grows past a bound, so a folder of 100,000
// subfolders costs the workflow's state and its continue-as-new input no more than a folder of ten.
// The stored rows are a stack too (seq 0 at the bottom, `spilled` rows) that always lies below the
// entries in memory: spilling moves the memory's bottom onto it, refilling moves its top back. Seqs
// follow from the workflow's own state, so a retried activity touches the same rows.
import { frontierStoreActivities as store } from './proxies';
import type { FrontierRef, FrontierEntry } from '../contract';

/** Entries kept in the workflow before the bottom of the stack is spilled. */
export const DEFAULT_FRONTIER_SPILL_AT = 1000;
/** Estimated bytes of spilled entries per activity: payloads stay far below Temporal's 2 MB. */
const SPILL_CHUNK_BYTES = 256 * 1024;

/** What a continued run receives: the entries in memory and how many rows the store holds. */
export interface CarriedFrontier {
  frontier: FrontierEntry[];
  spilledFrontier?: number;
}

export class Frontier {
  private entries: FrontierEntry[];
  private spilled: number;
  private readonly spillAt: number;

  constructor(
    private readonly ref: FrontierRef,
    spillAt: number | undefined,
    carried?: CarriedFrontier,
  ) {
    this.spillAt = Math.max(2, spillAt ?? DEFAULT_FRONTIER_SPILL_AT);
    this.entries = carried?.frontier ?? [];
    this.spilled = carried?.spilledFrontier ?? 0;
  }

  /** No folder left to list, here or in the store. */
  get empty(): boolean {
    return this.entries.length === 0 && this.spilled === 0;
  }

  /** Folders left to list, here and in the store. */
  get size(): number {
    return this.entries.length + this.spilled;
  }

  /** Pushes folders on top (the last is listed first). */
  push(entries: FrontierEntry[]): void {
    this.entries.push(...entries);
  }

  /** Up to `n` folders from the top, refilled from the store first when memory runs short. */
  async take(n: number): Promise<FrontierEntry[]> {
    if (this.entries.length < n && this.spilled > 0) await this.refill(Math.max(n, this.keep));
    return this.entries.splice(Math.max(0, this.entries.length - n));
  }

  /** Past the bound, the bottom of the stack goes to the store and half the bound stays. */
  async bound(): Promise<void> {
    if (this.entries.length > this.spillAt) await this.spill(this.entries.length - this.keep);
  }

  /** Everything to the store, so that continue-as-new carries only a count. */
  async spillAll(): Promise<void> {
    await this.spill(this.entries.length);
  }

  /** A migration that ends early (failed, cancelled) leaves no rows behind. */
  async discard(): Promise<void> {
    if (this.spilled > 0) await store.dropFrontier(this.ref, 0);
  }

  carried(): CarriedFrontier {
    return { frontier: [...this.entries], spilledFrontier: this.spilled };
  }

  private get keep(): number {
    return Math.floor(this.spillAt / 2);
  }

  private async spill(n: number): Promise<void> {
    const bottom = this.entries.slice(0, n);
    for (let i = 0; i < bottom.length;) {
      let end = i;
      for (let bytes = 0; end < bottom.length && (end === i || bytes < SPILL_CHUNK_BYTES); end++)
        bytes += estimatedBytes(bottom[end]);
      await store.spillFrontier(this.ref, this.spilled + i, bottom.slice(i, end));
      i = end;
    }
    // Only once every chunk is stored: a failure leaves the state as it was.
    this.entries.splice(0, n);
    this.spilled += n;
  }

  private async refill(n: number): Promise<void> {
    const from = Math.max(0, this.spilled - n);
    const loaded = await store.loadFrontier(this.ref, from, this.spilled);
    this.entries.unshift(...loaded);
    this.spilled = from;
    // Deleted only after they are in memory: a crash in between loads them again.
    await store.dropFrontier(this.ref, from);
  }
}

/** JSON bytes of an entry, pessimistic for non-ASCII paths (up to 3 bytes per UTF-16 unit). */
const estimatedBytes = (e: FrontierEntry) =>
  3 * (e.path.length + (e.destination?.length ?? 0) + (e.note?.length ?? 0)) +
  (e.pageToken?.length ?? 0) +
  (e.id?.length ?? 0) +
  40;
