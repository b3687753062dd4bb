// Turns connector errors into Temporal failures once: what to retry, and what ends the migration.
import { ApplicationFailure } from '@temporalio/activity';
import { isConnectorError } from '../connectors/types';
import { FAILURE_TYPES } from '../contract';

/** Rethrows `err` as a failure the workflow understands; retryable kinds keep Temporal retrying. */
export function toActivityFailure(err: unknown): Error {
  if (!isConnectorError(err)) return err instanceof Error ? err : new Error(String(err));
  switch (err.kind) {
    case 'retryable':
      return ApplicationFailure.create({
        type: FAILURE_TYPES.retryable,
        message: err.message,
        nextRetryDelay: err.retryAfterMs ? `${err.retryAfterMs}ms` : undefined,
      });
    case 'fatal_connection':
      return ApplicationFailure.create({
        type: FAILURE_TYPES.fatalConnection,
        message: err.message,
        nonRetryable: true,
      });
    default:
      return ApplicationFailure.create({
        type: `Connector_${err.kind}`,
        message: err.message,
        nonRetryable: true,
      });
  }
}

/** The activity `fn`, with connector errors turned into the failures above. */
export const reportingFailures =
  <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
