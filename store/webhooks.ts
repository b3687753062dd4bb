// Webhook endpoints, their events and deliveries. The sealed secret column is read only by
// `readSecret` (signing needs it); every other read leaves it out.
import { newId } from '../common/ids';
import type { Db, WebhookDeliveriesTable, WebhookEventsTable, WebhooksTable } from './db';
import { readPageRequest, toPage } from './paging';
import type {
  Webhook,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEvent,
  WebhooksRepo,
} from './webhooks-types';
import { fromJson, nowIso, toJson } from './util';
import type { DeliveredEventType, WebhookEventType } from '../contract';

type WebhookRow = Omit<WebhooksTable, 'secret'>;

const PUBLIC_COLUMNS = [
  'id',
  'account_id',
  'url',
  'events',
  'description',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof WebhookRow)[];

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  accountId: row.account_id,
  url: row.url,
  events: fromJson<WebhookEventType[]>(row.events),
  description: row.description,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toEvent = (row: WebhookEventsTable): WebhookEvent => ({
  id: row.id,
  accountId: row.account_id,
  type: row.type as DeliveredEventType,
  payload: row.payload,
  createdAt: row.created_at,
});

// PostgreSQL may answer integers of aggregate or bigint columns as strings; these are plain integers.
const toDelivery = (row: WebhookDeliveriesTable): WebhookDelivery => ({
  id: row.id,
  accountId: row.account_id,
  webhookId: row.webhook_id,
  eventId: row.event_id,
  eventType: row.event_type as DeliveredEventType,
  status: row.status as WebhookDeliveryStatus,
  attempts: Number(row.attempts),
  lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
  lastLatencyMs: row.last_latency_ms === null ? null : Number(row.last_latency_ms),
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastAttemptAt: row.last_attempt_at,
  finishedAt: row.finished_at,
});

export function createWebhooksRepo(db: Db): WebhooksRepo {
  const forAccount = (accountId: string) =>
    db.selectFrom('webhooks').select(PUBLIC_COLUMNS).where('account_id', '=', accountId);

  const getDelivery = async (accountId: string, id: string) => {
    const row = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  };

  return {
    async create({ id, accountId, url, events, description, secret }) {
      const now = nowIso();
      const row: WebhooksTable = {
        id,
        account_id: accountId,
        url,
        events: toJson(events),
        description,
        secret,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('webhooks').values(row).execute();
      return toWebhook(row);
    },

    async get(accountId, id) {
      const row = await forAccount(accountId).where('id', '=', id).executeTakeFirst();
      return row && toWebhook(row);
    },

    async list(accountId, page) {
      const { size, after } = readPageRequest(page, 'wh');
      let query = forAccount(accountId);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)),
        );
      }
      const rows = await query
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(size + 1)
        .execute();
      return toPage(rows, size, toWebhook);
    },

    async delete(accountId, id) {
      return db.transaction().execute(async (trx) => {
        const deliveries = trx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('account_id', '=', accountId)
          .where('webhook_id', '=', id);
        // Explicit, not only by foreign keys: a store opened without them must not keep orphans.
        await trx.deleteFrom('webhook_delivery_attempts').where('delivery_id', 'in', deliveries).execute();
        await trx
          .deleteFrom('webhook_deliveries')
          .where('account_id', '=', accountId)
          .where('webhook_id', '=', id)
          .execute();
        const result = await trx
          .deleteFrom('webhooks')
          .where('account_id', '=', accountId)
          .where('id', '=', id)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },

    async readSecret(accountId, id) {
      const row = await db
        .selectFrom('webhooks')
        .select('secret')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.secret ?? null;
    },

    async subscribers(accountId, type) {
      // An account has a handful of endpoints: filtering their event lists here keeps the schema simple.
      const rows = await forAccount(accountId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
      return rows.map(toWebhook).filter((w) => w.events.includes(type));
    },

    async publish(event, webhookIds) {
      return db.transaction().execute(async (trx) => {
        const eventRow: WebhookEventsTable = {
          id: event.id,
          account_id: event.accountId,
          type: event.type,
          payload: event.payload,
          created_at: event.createdAt,
        };
        await trx
          .insertInto('webhook_events')
          .values(eventRow)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        if (webhookIds.length === 0) return [];
        const now = nowIso();
        const rows: WebhookDeliveriesTable[] = webhookIds.map((webhookId) => ({
          id: newId('dlv'),
          account_id: event.accountId,
          webhook_id: webhookId,
          event_id: event.id,
          event_type: event.type,
          status: 'pending',
          attempts: 0,
          last_status_code: null,
          last_latency_ms: null,
          last_error: null,
          created_at: now,
          updated_at: now,
          last_attempt_at: null,
          finished_at: null,
        }));
        await trx
          .insertInto('webhook_deliveries')
          .values(rows)
          .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
          .execute();
        const stored = await trx
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('account_id', '=', event.accountId)
          .where('event_id', '=', event.id)
          .where('webhook_id', 'in', webhookIds)
          .orderBy('id')
          .execute();
        return stored.map(toDelivery);
      });
    },

    getDelivery,

    async loadForSending(accountId, deliveryId) {
      const delivery = await getDelivery(accountId, deliveryId);
      if (!delivery) return undefined;
      const [eventRow, webhookRow] = await Promise.all([
        db
          .selectFrom('webhook_events')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('id', '=', delivery.eventId)
          .executeTakeFirst(),
        forAccount(accountId).where('id', '=', delivery.webhookId).executeTakeFirst(),
      ]);
      if (!eventRow || !webhookRow) return undefined;
      return { delivery, event: toEvent(eventRow), webhook: toWebhook(webhookRow) };
    },

    async recordAttempt(accountId, deliveryId, attempt, status) {
      await db.transaction().execute(async (trx) => {
        const owned = await trx
          .selectFrom('webhook_deliveries')
          .select('attempts')
          .where('account_id', '=', accountId)
          .where('id', '=', deliveryId)
          .executeTakeFirst();
        if (!owned) return;
        await trx
          .insertInto('webhook_delivery_attempts')
          .values({
            delivery_id: deliveryId,
            attempt: attempt.attempt,
            status_code: attempt.statusCode,
            latency_ms: attempt.latencyMs,
            error: attempt.error,
            created_at: attempt.createdAt,
          })
          .onConflict((oc) =>
            oc.columns(['delivery_id', 'attempt']).doUpdateSet((eb) => ({
              status_code: eb.ref('excluded.status_code'),
              latency_ms: eb.ref('excluded.latency_ms'),
              error: eb.ref('excluded.error'),
              created_at: eb.ref('excluded.created_at'),
            })),
          )
          .execute();
        const finished = status !== 'pending';
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status,
            // Attempts run one after another; a replaced attempt never lowers the count.
            attempts: Math.max(Number(owned.attempts), attempt.attempt),
            last_status_code: attempt.statusCode,
            last_latency_ms: attempt.latencyMs,
            last_error: attempt.error,
            last_attempt_at: attempt.createdAt,
            updated_at: nowIso(),
            ...(finished && { finished_at: attempt.createdAt }),
          })
          .where('account_id', '=', accountId)
          .where('id', '=', deliveryId)
          .where('status', '!=', 'delivered')
          .execute();
      });
    },

    async markFailed(accountId, deliveryId, reason) {
      const now = nowIso();
      const result = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: 'failed',
          last_error: eb.fn.coalesce('last_error', eb.val(reason)),
          updated_at: now,
          finished_at: eb.fn.coalesce('finished_at', eb.val(now)),
        }))
        .where('account_id', '=', accountId)
        .where('id', '=', deliveryId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async listDeliveries(accountId, webhookId, page) {
      const { size, after } = readPageRequest(page, 'dlv');
      let query = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('webhook_id', '=', webhookId);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toPage(rows, size, toDelivery);
    },

    async listAttempts(accountId, deliveryId) {
      const rows = await db
        .selectFrom('webhook_delivery_attempts as a')
        .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
        .select(['a.attempt', 'a.status_code', 'a.latency_ms', 'a.error', 'a.created_at'])
        .where('d.account_id', '=', accountId)
        .where('a.delivery_id', '=', deliveryId)
        .orderBy('a.attempt', 'asc')
        .execute();
      return rows.map((r) => ({
        attempt: Number(r.attempt),
        statusCode: r.status_code === null ? null : Number(r.status_code),
        latencyMs: Number(r.latency_ms),
        error: r.error,
        createdAt: r.created_at,
      }));
    },
  };
}
