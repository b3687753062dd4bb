// Webhook events, as workflows publish them: `publishEvent` (any event with its data) and
// `publishMigrationEvent` (the migration as the store now has it). Publishing records the event and
// one delivery per subscribed endpoint, then starts a delivery workflow per delivery (see
// webhook-publisher.ts); it never waits for a receiver.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { base62FromHex } from '../common/base62';
import { randomBase62 } from '../common/ids';
import {
  PUBLISH_MAX_ATTEMPTS,
  type PublishEventInput,
  type PublishMigrationEventInput,
  type WebhookEventType,
} from '../common/webhook-events';
import type { Connection, Migration, Store } from '../store/types';

export interface PublishRequest {
  accountId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The same id publishes the same event only once (a retried activity); random when absent. */
  eventId?: string;
}

export interface EventPublisher {
  /** Records the event and its deliveries and starts their workflows; answers how many deliveries. */
  publish(request: PublishRequest): Promise<{ eventId: string; deliveries: number }>;
}

/** An id with the shape of `newId('evt')`, derived from a seed (the same seed, the same id). */
export const derivedEventId = (seed: string): string =>
  `evt_${base62FromHex(createHash('sha256').update(seed).digest('hex'), 20)}`;

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

/** The migration in the event's `data`, in the API's snake_case (a summary of GET /v1/migrations/:id). */
export function migrationEventData(m: Migration): Record<string, unknown> {
  const p = m.progress;
  return {
    id: m.id,
    status: m.status,
    source: { connection_id: m.source.connectionId, service: m.source.service, path: m.source.path },
    destination: {
      connection_id: m.destination.connectionId,
      service: m.destination.service,
      path: m.destination.path,
    },
    progress: {
      files_discovered: p.filesDiscovered,
      bytes_discovered: p.bytesDiscovered,
      folders_discovered: p.foldersDiscovered,
      files_copied: p.filesCopied,
      bytes_copied: p.bytesCopied,
      files_skipped: p.filesSkipped,
      bytes_skipped: p.bytesSkipped,
      files_failed: p.filesFailed,
      listing_complete: p.listingComplete,
    },
    error: m.error,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
  };
}

export interface EventActivityDeps {
  store: Store;
  /** Absent (tests of other things): events are dropped. */
  publisher?: EventPublisher;
}

export function eventActivities(deps: EventActivityDeps) {
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

export type EventActivities = ReturnType<typeof eventActivities>;

/**
 * connection.needs_reauth, for openConnector's onNeedsReauth. The event id comes from the connection
 * as it was loaded (still active), so activities that hit the refused token together publish it once.
 */
export function needsReauthNotifier(store: Store, publisher: EventPublisher | undefined) {
  return (loaded: Connection) => async (): Promise<void> => {
    if (!publisher) return;
    const c = (await store.connections.get(loaded.accountId, loaded.id)) ?? loaded;
    await publisher.publish({
      accountId: loaded.accountId,
      type: 'connection.needs_reauth',
      data: {
        id: c.id,
        service: c.service,
        name: c.name,
        status: 'needs_reauth',
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      },
      eventId: derivedEventId(`connection.needs_reauth/${loaded.id}/${loaded.updatedAt}`),
    });
  };
}
