// Failure types that activities raise and workflows act on (pure constants: safe in workflow code).
export const FAILURE_TYPES = {
  /** The connection's service refuses every call (revoked credentials, missing root). */
  fatalConnection: 'FatalConnection',
  /** The connection was deleted while a migration used it. */
  connectionGone: 'ConnectionGone',
  /** The connection must be authorized again. */
  connectionNeedsReauth: 'ConnectionNeedsReauth',
  retryable: 'Retryable',
} as const;

/** Failures that concern the whole connection, not one file: never retried, and the migration fails. */
export const CONNECTION_FAILURES: string[] = [
  FAILURE_TYPES.fatalConnection,
  FAILURE_TYPES.connectionGone,
  FAILURE_TYPES.connectionNeedsReauth,
];
