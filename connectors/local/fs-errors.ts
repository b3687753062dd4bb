// Node file-system errors mapped once to connector error kinds.
import { ConnectorError, type ConnectorErrorKind } from '../types';

const KIND_BY_CODE: Record<string, ConnectorErrorKind> = {
  ENOENT: 'not_found',
  EACCES: 'permission_denied',
  EPERM: 'permission_denied',
  EEXIST: 'already_exists',
  ENOTDIR: 'wrong_type',
  EISDIR: 'wrong_type',
  ENOSPC: 'retryable',
  EIO: 'retryable',
};

const MESSAGE_BY_KIND: Partial<Record<ConnectorErrorKind, (p: string) => string>> = {
  not_found: (p) => `${p} does not exist`,
  permission_denied: (p) => `Permission denied: ${p}`,
  already_exists: (p) => `${p} already exists`,
  wrong_type: (p) => `${p} is a file where a folder was expected, or the reverse`,
};

/** The Node error code (ENOENT, …) of a system error, if it is one. */
export function fsErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Converts a file-system error to a ConnectorError naming the connector path (never the host path,
 * which would reveal the server's layout). ConnectorErrors pass through unchanged.
 */
export function mapFsError(err: unknown, connectorPath: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = fsErrorCode(err) ?? 'UNKNOWN';
  const kind = KIND_BY_CODE[code] ?? 'fatal_file';
  const message = MESSAGE_BY_KIND[kind]?.(connectorPath) ?? `File system error on ${connectorPath} (${code})`;
  return new ConnectorError(kind, message);
}
