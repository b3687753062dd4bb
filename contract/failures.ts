// Failure types that activities raise and workflows act on (pure constants: safe in workflow code).

export const FAILURE_TYPES = {
  /** The connection's service refuses every call (revoked credentials, missing root). */
  fatalConnection: 'FatalConnection',
  /** The connection was deleted while a migration used it. */
  connectionGone: 'ConnectionGone',
  /** The connection must be authorized again. */
  connectionNeedsReauth: 'ConnectionNeedsReauth',
  retryable: 'Retryable',
  /** An include/exclude pattern the engine refuses (the API validates them first). */
  invalidPattern: 'InvalidPattern',
  /** Rows of a migration's spilled folder frontier are missing from the store. */
  frontierMissing: 'FrontierMissing',
  /** A copy batch the workflow refers to is missing from the store. */
  batchMissing: 'BatchMissing',
  /** The workflow's account is not the one its migration row or connections belong to. */
  accountMismatch: 'AccountMismatch',
} as const;

/** Failures that concern the whole connection, not one file: never retried, and the migration fails. */
export const CONNECTION_FAILURES: string[] = [
  FAILURE_TYPES.fatalConnection,
  FAILURE_TYPES.connectionGone,
  FAILURE_TYPES.connectionNeedsReauth,
  FAILURE_TYPES.accountMismatch,
];

/** Failure types of a webhook delivery attempt; all but `retryable` end the delivery. */
export const WEBHOOK_FAILURES = {
  /** The receiver answered something retrying will not change (a 4xx other than 429, a redirect). */
  refusedByReceiver: 'WebhookRefusedByReceiver',
  /** The outbound policy refuses the target (private, loopback, metadata…). */
  targetRefused: 'WebhookTargetRefused',
  /** The endpoint (or its event) was deleted. */
  gone: 'WebhookGone',
  /** Worth another attempt: timeout, connection error, 5xx, 429. */
  retryable: 'WebhookRetryable',
} as const;

export const FINAL_WEBHOOK_FAILURES: string[] = [
  WEBHOOK_FAILURES.refusedByReceiver,
  WEBHOOK_FAILURES.targetRefused,
  WEBHOOK_FAILURES.gone,
];
