// Activities never take a workflow's word for whose data they touch: the migration row a request names
// must belong to the account its endpoints carry, and both endpoints to one account. A workflow input
// naming another account (a forged or mistaken start) fails at once, never retried.
import { ApplicationFailure } from '@temporalio/activity';
import type { Store } from '../store/types';
import { FAILURE_TYPES, type EndpointRef } from '../contract';

export async function checkMigrationAccount(
  store: Store,
  migrationId: string | undefined,
  source: EndpointRef,
  destination?: EndpointRef,
): Promise<void> {
  const refuse = (message: string) =>
    ApplicationFailure.create({ type: FAILURE_TYPES.accountMismatch, message, nonRetryable: true });
  if (destination && destination.accountId !== source.accountId)
    throw refuse('The source and destination belong to different accounts');
  // Requests scheduled before migration ids were carried name none: their connections are still
  // loaded under the endpoints' account.
  if (migrationId === undefined) return;
  if (!(await store.migrations.get(source.accountId, migrationId)))
    throw refuse(`Migration ${migrationId} does not belong to account ${source.accountId}`);
}
