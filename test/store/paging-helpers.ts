// Helpers for paging assertions shared by the store suites.
import { AppError } from '../../common/errors';

/** Sort key matching the store's keyset order: (created_at, id) compared byte-wise. */
export const byCreatedThenId = <T extends { createdAt: string; id: string }>(a: T, b: T): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Walks every page, returning the ids of each page. */
export async function collectPages<T extends { id: string }>(
  fetch: (pageToken: string | null) => Promise<{ items: T[]; nextPageToken: string | null }>,
): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | null = null;
  do {
    const page = await fetch(token);
    pages.push(page.items.map((i) => i.id));
    token = page.nextPageToken;
    if (pages.length > 50) throw new Error('paging does not terminate');
  } while (token);
  return pages;
}

export const tokenOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Expects an AppError invalid_parameter naming `param`. */
export async function expectInvalidParameter(promise: Promise<unknown>, param: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('invalid_parameter');
  expect((err as AppError).message).toContain(`'${param}'`);
}
