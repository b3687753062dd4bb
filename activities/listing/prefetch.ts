// Listing a cloud folder is mostly waiting (~150 ms a request), so an exploration keeps a few pages in
// flight: besides the page it takes in now, the next page of the folders just below the top of its
// stack. The connector's request budget still paces them. No request is wasted: before the
// exploration ends, the folders whose pages were asked for are moved to the top of the stack and taken
// in (`raise`); explore.ts leaves one that would take its result past the payload limit (budget.ts).
import type { Connector, ListPage } from '../../connectors/types';
import type { FrontierEntry } from '../../contract';

/** How deep below the top of the stack folders are looked at for pages to ask ahead. */
const SCAN_DEPTH = 64;

type Outcome = { ok: true; page: ListPage } | { ok: false; error: unknown };

export class PagePrefetch {
  private readonly ahead = new Map<FrontierEntry, { token: string | null; outcome: Promise<Outcome> }>();

  /** `pages`: requests in flight at most, the one taken in now included. */
  constructor(
    private readonly source: Connector,
    private readonly pages: number,
  ) {}

  /** The page of `entry` at its current token, of `pageSize` entries at most: asked ahead, or now. */
  async list(entry: FrontierEntry, pageSize: number): Promise<ListPage> {
    const asked = this.ahead.get(entry);
    this.ahead.delete(entry);
    if (asked && asked.token === entry.pageToken) {
      const outcome = await asked.outcome;
      if (outcome.ok) return outcome.page;
      throw outcome.error;
    }
    return this.source.list(entry.path, { pageToken: entry.pageToken, pageSize, id: entry.id });
  }

  /** Asks for the pages of folders below the top of `stack` (the top is being listed), up to the limit. */
  fill(stack: FrontierEntry[], pageSize: (entry: FrontierEntry) => number): void {
    const bottom = Math.max(0, stack.length - 1 - SCAN_DEPTH);
    for (let i = stack.length - 2; i >= bottom && this.ahead.size < this.pages - 1; i--) {
      const entry = stack[i]!;
      if (this.ahead.has(entry)) continue;
      const outcome = this.source
        .list(entry.path, { pageToken: entry.pageToken, pageSize: pageSize(entry), id: entry.id })
        .then(
          (page): Outcome => ({ ok: true, page }),
          (error: unknown): Outcome => ({ ok: false, error }),
        );
      this.ahead.set(entry, { token: entry.pageToken, outcome });
    }
  }

  /**
   * Moves the folders whose pages were asked for to the top of `stack`, in their order; true when the
   * top is now one of them (to be taken in before the exploration ends).
   */
  raise(stack: FrontierEntry[]): boolean {
    if (this.ahead.size === 0) return false;
    const waiting = stack.filter((e) => this.ahead.has(e));
    const rest = stack.filter((e) => !this.ahead.has(e));
    stack.splice(0, stack.length, ...rest, ...waiting);
    return waiting.length > 0;
  }
}
