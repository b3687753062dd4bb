// Activities never take a workflow's word for whose data they touch: the migration row a request names
// must belong to the account its endpoints carry, and both endpoints to one account. A workflow input
// naming another account (a forged or mistaken start) fails at once, never retried.
import { ApplicationFailure } from '@temporalio/activity';
import type { Store } from '../store/types';
import { FAILURE_TYPES, type EndpointRef } from '../contract';

const refuse = (message: string) =>
  ApplicationFailure.create({ type: FAILURE_TYPES.accountMismatch, message, nonRetryable: true });

export async function checkMigrationAccount(
  store: Store,
  migrationId: string | undefined,
  source: EndpointRef,
  destination?: EndpointRef,
): Promise<void> {
  if (destination && destination.accountId !== source.accountId)
    throw refuse('The source and destination belong to different accounts');
  // Requests scheduled before migration ids were carried name none: their connections are still
  // loaded under the endpoints' account.
  if (migrationId === undefined) return;
  if (!(await store.migrations.get(source.accountId, migrationId)))
    throw notOwned(migrationId, source.accountId);
}

/**
 * Writes the workflow's status and progress to its own account's migration row only. Workflows scheduled
 * before they carried their account here name none (the row is then found by id, as it was).
 */
export async function updateOwnMigration(
  store: Store,
  migrationId: string,
  patch: Parameters<Store['migrations']['update']>[1],
  accountId: string | undefined,
) {
  const migration = await store.migrations.update(migrationId, patch, accountId);
  if (!migration && accountId !== undefined) await refuseForeign(store, migrationId, accountId);
  return migration;
}

/** After a write that found no row of `accountId`: refuses a row of another account (an unknown id passes). */
export async function refuseForeign(store: Store, migrationId: string, accountId: string): Promise<void> {
  if (await store.migrations.getById(migrationId)) throw notOwned(migrationId, accountId);
}

const notOwned = (migrationId: string, accountId: string) =>
  refuse(`Migration ${migrationId} does not belong to account ${accountId}`);
