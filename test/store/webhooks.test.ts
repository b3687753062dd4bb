// The webhooks repository on SQLite and PostgreSQL: secrets only through readSecret, subscribers by
// event type, publishing once per event id, attempts recorded and replaced by number, deletion with
// deliveries, paging, and other accounts kept apart.
import { newId } from '../../common/ids';
import type { Account, WebhookDeliveryAttempt } from '../../store';
import { describeEachStore } from './targets';

describeEachStore('webhooks', (t) => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  const create = (accountId: string, events: ('migration.completed' | 'sync.run_started')[]) =>
    t.store.webhooks.create({
      id: newId('wh'),
      accountId,
      url: 'https://example.com/hook',
      events,
      description: null,
      secret: 'sealed-secret',
    });
  const attempt = (n: number, statusCode: number | null, error: string | null): WebhookDeliveryAttempt => ({
    attempt: n,
    statusCode,
    latencyMs: 12,
    error,
    createdAt: new Date().toISOString(),
  });

  it('keeps the secret out of reads, finds subscribers, and keeps accounts apart', async () => {
    const a = await create(alice.id, ['migration.completed']);
    const b = await create(alice.id, ['sync.run_started', 'migration.completed']);
    await create(bob.id, ['migration.completed']);
    expect(JSON.stringify(await t.store.webhooks.get(alice.id, a.id))).not.toContain('sealed-secret');
    expect(await t.store.webhooks.readSecret(alice.id, a.id)).toBe('sealed-secret');
    expect(await t.store.webhooks.readSecret(bob.id, a.id)).toBeNull();
    expect(await t.store.webhooks.get(bob.id, a.id)).toBeUndefined();
    // Created within one millisecond, two endpoints have no order of their own: compare as sets.
    const subscribed = (await t.store.webhooks.subscribers(alice.id, 'migration.completed')).map((w) => w.id);
    expect(subscribed.sort()).toEqual([a.id, b.id].sort());
    expect((await t.store.webhooks.subscribers(alice.id, 'sync.run_started')).map((w) => w.id)).toEqual([
      b.id,
    ]);
    const first = await t.store.webhooks.list(alice.id, { pageSize: 1 });
    const second = await t.store.webhooks.list(alice.id, { pageSize: 1, pageToken: first.nextPageToken });
    expect([...first.items, ...second.items].map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
    expect(second.nextPageToken).toBeNull();
  });

  it('publishes an event once per id, records attempts, and deletes an endpoint with its deliveries', async () => {
    const hook = await create(alice.id, ['migration.completed']);
    const event = {
      id: newId('evt'),
      accountId: alice.id,
      type: 'migration.completed' as const,
      payload: '{"n":1}',
      createdAt: new Date().toISOString(),
    };
    const [delivery] = await t.store.webhooks.publish(event, [hook.id]);
    const again = await t.store.webhooks.publish({ ...event, payload: '{"n":2}' }, [hook.id]);
    expect(again.map((d) => d.id)).toEqual([delivery!.id]);
    const loaded = await t.store.webhooks.loadForSending(alice.id, delivery!.id);
    expect(loaded?.event.payload).toBe('{"n":1}');
    expect(await t.store.webhooks.loadForSending(bob.id, delivery!.id)).toBeUndefined();

    await t.store.webhooks.recordAttempt(alice.id, delivery!.id, attempt(1, 500, 'HTTP 500'), 'pending');
    await t.store.webhooks.recordAttempt(alice.id, delivery!.id, attempt(2, null, 'timed out'), 'pending');
    // The same attempt number again replaces its row.
    await t.store.webhooks.recordAttempt(alice.id, delivery!.id, attempt(2, 200, null), 'delivered');
    // Bob cannot write to Alice's delivery; a late failure does not undo a delivery.
    await t.store.webhooks.recordAttempt(bob.id, delivery!.id, attempt(3, 500, 'x'), 'failed');
    expect(await t.store.webhooks.markFailed(alice.id, delivery!.id, 'late')).toBe(false);
    expect(await t.store.webhooks.getDelivery(alice.id, delivery!.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      finishedAt: expect.any(String),
    });
    expect((await t.store.webhooks.listAttempts(alice.id, delivery!.id)).map((a) => a.statusCode)).toEqual([
      500, 200,
    ]);
    expect(await t.store.webhooks.listAttempts(bob.id, delivery!.id)).toEqual([]);
    const page = await t.store.webhooks.listDeliveries(alice.id, hook.id, { pageSize: 10 });
    expect(page.items.map((d) => d.id)).toEqual([delivery!.id]);

    expect(await t.store.webhooks.delete(bob.id, hook.id)).toBe(false);
    expect(await t.store.webhooks.delete(alice.id, hook.id)).toBe(true);
    expect(await t.store.webhooks.getDelivery(alice.id, delivery!.id)).toBeUndefined();
    const orphans = await t.raw.all('select * from webhook_delivery_attempts where delivery_id = ?', [
      delivery!.id,
    ]);
    expect(orphans).toEqual([]);
  });

  it('marks a pending delivery failed once, and says whether it did', async () => {
    const hook = await create(alice.id, ['migration.completed']);
    const event = {
      id: newId('evt'),
      accountId: alice.id,
      type: 'migration.completed' as const,
      payload: '{}',
      createdAt: new Date().toISOString(),
    };
    const [delivery] = await t.store.webhooks.publish(event, [hook.id]);
    expect(await t.store.webhooks.markFailed(bob.id, delivery!.id, 'forged')).toBe(false);
    expect(await t.store.webhooks.markFailed(alice.id, delivery!.id, 'gave up')).toBe(true);
    expect(await t.store.webhooks.markFailed(alice.id, delivery!.id, 'again')).toBe(false);
    expect(await t.store.webhooks.getDelivery(alice.id, delivery!.id)).toMatchObject({ status: 'failed' });
  });
});
