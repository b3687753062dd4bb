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

/** Node's socket errors: the connection to the database went away or never came. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'SQLITE_BUSY']);

/**
 * The store cannot serve now, through no fault of the caller: PostgreSQL out of connections or resources
 * (class 53: too many clients), restarting or cancelling a statement past its timeout (class 57), a broken
 * connection (class 08 and socket errors), the pool waiting too long, SQLite busy. Worth a retry.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^(08|53|57)[0-9A-Z]{3}$/.test(code) || SOCKET_ERRORS.has(code)))
    return true;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated/.test(message)
  );
}
