// Where the product's counters are counted: the budget gate (each request's wait, each throttling
// answer, per service), the throttle counter of unbudgeted cloud connections, and webhook attempts by
// outcome (counted once recorded; `gave_up` only when it ended a pending delivery), and files counted
// from what the item store newly recorded, so a retried batch counts nothing twice.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ItemRecorder } from '../../activities/copy/items';
import { webhookDeliveryActivities } from '../../activities/webhooks';
import { createStore } from '../../store';
import { metricsRegistry } from '../../common/metrics';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import type { RequestBudgets } from '../../connectors/budget';
import { budgetGate, throttleCounter } from '../../connectors/budgeted';
import { ConnectorError, throttledError } from '../../connectors/types';
import type { Store } from '../../store/types';
import { sampleValue } from '../helpers/prometheus';

const value = async (name: string, labels: Record<string, string>) =>
  sampleValue(await metricsRegistry.metrics(), name, labels);

describe('the budget gate', () => {
  const budgets = {
    acquire: () => new Promise<void>((resolve) => setTimeout(resolve, 60)),
    onSuccess: async () => undefined,
    onThrottled: async () => 0,
  } as unknown as RequestBudgets;

  it('observes each request’s wait and counts throttling answers, per service', async () => {
    const gate = budgetGate(budgets, 'dropbox', 'conn_x', 5)!;
    const waits = { service: 'dropbox' };
    expect(await gate(async () => 'ok')).toBe('ok');
    await expect(gate(() => Promise.reject(throttledError('slow down', 1000)))).rejects.toThrow('slow down');
    await expect(gate(() => Promise.reject(new ConnectorError('not_found', 'gone')))).rejects.toThrow('gone');
    expect(await value('migrateclouds_budget_wait_seconds_count', waits)).toBe(3);
    expect(await value('migrateclouds_budget_wait_seconds_sum', waits)).toBeGreaterThanOrEqual(0.15);
    expect(await value('migrateclouds_provider_throttled_total', { service: 'dropbox' })).toBe(1);
    expect(await value('migrateclouds_provider_throttled_total', { service: 'onedrive' })).toBe(0);
  });

  it('counts throttling of connections without a budget too, and waits for nothing', async () => {
    expect(budgetGate(budgets, 'onedrive', 'conn_y', 0)).toBeUndefined();
    const gate = throttleCounter('onedrive');
    await expect(gate(() => Promise.reject(throttledError('429')))).rejects.toThrow('429');
    await expect(gate(() => Promise.reject(throttledError('429')))).rejects.toThrow('429');
    expect(await value('migrateclouds_provider_throttled_total', { service: 'onedrive' })).toBe(2);
    expect(await value('migrateclouds_budget_wait_seconds_count', { service: 'onedrive' })).toBe(0);
  });
});

describe('webhook deliveries', () => {
  let server: http.Server;
  let url: string;
  const answers: number[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(answers.shift() ?? 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts delivered, failed attempts, refusals and give-ups once each', async () => {
    const box = createSecretBox(generateEncryptionKey());
    let pending = true;
    const store = {
      webhooks: {
        loadForSending: async () => ({
          delivery: { id: 'dlv_1', status: 'pending' },
          event: { type: 'migration.completed', payload: '{}' },
          webhook: { id: 'wh_1', url },
        }),
        readSecret: async () => box.seal('signing-secret', 'wh_1'),
        recordAttempt: async () => undefined,
        markFailed: async () => {
          const ended = pending;
          pending = false;
          return ended;
        },
      },
    } as unknown as Store;
    const activities = webhookDeliveryActivities({ store, box, policy: { allowPrivate: true } });
    const req = { accountId: 'acc_1', deliveryId: 'dlv_1', attemptTimeoutSeconds: 5 };
    answers.push(500, 429, 200, 404);
    for (let i = 0; i < 4; i++) await activities.deliverWebhook(req).catch(() => undefined);
    await activities.markWebhookDeliveryFailed({ ...req, reason: 'Retries ended' });
    await activities.markWebhookDeliveryFailed({ ...req, reason: 'Retries ended' });
    const outcome = (o: string) => value('migrateclouds_webhook_deliveries_total', { outcome: o });
    expect([
      await outcome('delivered'),
      await outcome('attempt_failed'),
      await outcome('refused'),
      await outcome('gave_up'),
    ]).toEqual([1, 2, 1, 1]);
  });
});

describe('files and bytes', () => {
  it('counts what the store newly recorded: a retried batch recording the same files counts nothing', async () => {
    const store = await createStore('sqlite::memory:');
    try {
      const files = [1, 2, 3].map((n) => ({
        sourcePath: `/f${n}`,
        destinationPath: `/d/f${n}`,
        size: 100 * n,
        modifiedAt: null,
      }));
      const request = { source: { accountId: 'acc_1', connectionId: 'c' }, migrationId: 'mig_1', files };
      const labels = (outcome: string) => ({
        source_service: 'dropbox',
        destination_service: 'onedrive',
        outcome,
      });
      for (let attempt = 1; attempt <= 2; attempt++) {
        const recorder = new ItemRecorder(store.items, request);
        recorder.services = { source: 'dropbox', destination: 'onedrive' };
        await recorder.add(files[0]!, { status: 'copied', bytes: 100 });
        await recorder.add(files[1]!, { status: 'skipped', bytes: 200 });
        if (attempt === 2) await recorder.add(files[2]!, { status: 'copied', bytes: 300 });
        await recorder.flush();
      }
      expect(await value('migrateclouds_files_total', labels('copied'))).toBe(2);
      expect(await value('migrateclouds_files_total', labels('skipped'))).toBe(1);
      expect(await value('migrateclouds_bytes_total', labels('copied'))).toBe(400);
      expect(await value('migrateclouds_bytes_total', labels('skipped'))).toBe(200);
    } finally {
      await store.close();
    }
  });
});
