// What `migrateclouds` exits with, so scripts can tell outcomes apart (docs/clients/cli.md#exit-codes).
import { MigrateCloudsError } from '../errors';

export const EXIT = {
  ok: 0,
  /** A migration ended completed_with_errors or failed; or an error not listed below. */
  failure: 1,
  /** Bad command line, or a parameter the server refused (invalid_parameter). */
  usage: 2,
  /** No API key, or a missing, unknown or revoked one (authentication_error). */
  auth: 3,
  permissionDenied: 4,
  notFound: 5,
  conflict: 6,
  /** Still rate limited after the client's retries (rate_limit_exceeded). */
  rateLimited: 7,
  /** The server or a cloud service failed, or the server could not be reached. */
  service: 8,
  /** The migration was cancelled. */
  cancelled: 9,
  /** Ctrl-C: `cp` detached from its migration (which goes on). */
  interrupted: 130,
} as const;

/** An error the CLI itself raises, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

const BY_CODE: Record<string, number> = {
  invalid_parameter: EXIT.usage,
  authentication_error: EXIT.auth,
  permission_denied: EXIT.permissionDenied,
  resource_not_found: EXIT.notFound,
  conflict: EXIT.conflict,
  rate_limit_exceeded: EXIT.rateLimited,
  service_error: EXIT.service,
  internal_error: EXIT.service,
  network_error: EXIT.service,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof MigrateCloudsError) return BY_CODE[err.code] ?? EXIT.failure;
  return EXIT.failure;
}

/** The exit code a finished migration's status means. */
export function exitCodeForStatus(status: string): number {
  if (status === 'completed') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  return EXIT.failure;
}
