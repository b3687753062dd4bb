// Every paged list as an async iterator: `for await (const m of client.migrations.list())` walks page after
// page, passing next_page_token back until it is null (docs/guides/paging.md).

export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

export class Paginated<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (pageToken: string | undefined) => Promise<Page<T>>) {}

  /** Page by page, for callers that want the boundaries. */
  async *pages(): AsyncGenerator<Page<T>> {
    let token: string | undefined;
    do {
      const page = await this.fetchPage(token);
      yield page;
      token = page.nextPageToken ?? undefined;
    } while (token);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item in one array (mind the size of what you list). */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
