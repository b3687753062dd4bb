// Small helpers shared by the repositories.

/** Times are stored and returned as ISO-8601 UTC strings with milliseconds. */
export const nowIso = (): string => new Date().toISOString();

export const toJson = (value: unknown): string => JSON.stringify(value);

export const fromJson = <T>(text: string): T => JSON.parse(text) as T;

/** A UNIQUE constraint violation from either driver (better-sqlite3 or pg). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
