// Publishing webhook events from workflow code. A publish is a store write and a few workflow starts
// (events/publisher.ts), never a receiver's answer; and it never fails the workflow that
// publishes: its errors are swallowed here (a cancellation still goes through).
import { isCancellation } from '@temporalio/workflow';
import { eventActivities, quickEventActivities } from './proxies';
import {
  PROGRESS_EVENT_INTERVAL_MS,
  type PublishEventInput,
  type PublishMigrationEventInput,
} from '../contract';

/** Any event with its data (e.g. sync.run_started). */
export async function emitEvent(input: PublishEventInput): Promise<void> {
  try {
    await eventActivities.publishEvent(input);
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}

/**
 * A migration event; its data is the migration as the store has it when the activity runs. `local`:
 * published by a local activity (workflows/proxies.ts).
 */
export async function emitMigrationEvent(
  accountId: string,
  migrationId: string,
  type: PublishMigrationEventInput['type'],
  local = false,
): Promise<void> {
  try {
    await (local ? quickEventActivities : eventActivities).publishMigrationEvent({
      accountId,
      migrationId,
      type,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}

/**
 * migration.progress at most once a minute (`everyMs`, shorter in tests). Each run (continue-as-new
 * included) waits that long from its start, so the interval also holds across runs.
 */
export class ProgressEvents {
  private lastMs = Date.now();

  constructor(
    private readonly accountId: string,
    private readonly migrationId: string,
    readonly everyMs: number = PROGRESS_EVENT_INTERVAL_MS,
  ) {}

  async maybeEmit(): Promise<void> {
    if (Date.now() - this.lastMs < this.everyMs) return;
    this.lastMs = Date.now();
    await emitMigrationEvent(this.accountId, this.migrationId, 'migration.progress');
  }
}
