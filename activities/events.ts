// Webhook events, as workflows publish them: `publishEvent` (any event with its data) and
// `publishMigrationEvent` (the migration as the store now has it). Publishing records the event and
// one delivery per subscribed endpoint, then starts a delivery workflow per delivery (see
// events/publisher.ts); it never waits for a receiver.
import { Context } from '@temporalio/activity';
import { randomBase62 } from '../common/ids';
import type { Store } from '../store/types';
import {
  PUBLISH_MAX_ATTEMPTS,
  type EventActivities,
  type PublishEventInput,
  type PublishMigrationEventInput,
} from '../contract';
import { derivedEventId, migrationEventData, type EventPublisher } from '../events';

/** Inside an activity: an id stable across its retries (same workflow run, same activity). */
function activityEventId(): string {
  try {
    const info = Context.current().info;
    const run = info.workflowExecution;
    if (!run) return `evt_${randomBase62(20)}`;
    return derivedEventId(`${run.workflowId}/${run.runId}/${info.activityId}`);
  } catch {
    return `evt_${randomBase62(20)}`;
  }
}

export interface EventActivityDeps {
  store: Store;
  /** Absent (tests of other things): events are dropped. */
  publisher?: EventPublisher;
}

export function eventActivities(deps: EventActivityDeps): EventActivities {
  /** Retries go through Temporal; the last attempt logs and gives up rather than fail the caller. */
  const bestEffort = async (what: string, publish: () => Promise<void>): Promise<void> => {
    try {
      await publish();
    } catch (err) {
      let attempt = PUBLISH_MAX_ATTEMPTS;
      try {
        attempt = Context.current().info.attempt;
      } catch {
        // Called outside an activity (tests): give up at once.
      }
      if (attempt < PUBLISH_MAX_ATTEMPTS) throw err;
      try {
        Context.current().log.error(`${what} was not published`, { error: String(err) });
      } catch {
        // No activity context: nothing to log to.
      }
    }
  };

  return {
    async publishEvent(input: PublishEventInput): Promise<void> {
      const { publisher } = deps;
      if (!publisher) return;
      const eventId = activityEventId();
      await bestEffort(input.type, async () => {
        await publisher.publish({ accountId: input.accountId, type: input.type, data: input.data, eventId });
      });
    },

    async publishMigrationEvent(input: PublishMigrationEventInput): Promise<void> {
      const { publisher } = deps;
      if (!publisher) return;
      const eventId = activityEventId();
      await bestEffort(input.type, async () => {
        const m = await deps.store.migrations.get(input.accountId, input.migrationId);
        if (!m) return;
        await publisher.publish({
          accountId: input.accountId,
          type: input.type,
          data: migrationEventData(m),
          eventId,
        });
      });
    },
  };
}
