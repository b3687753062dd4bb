// One webhook delivery: an activity POSTs it, retried with exponential backoff (the first delay from
// MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS, doubling up to an hour) for up to 24 hours. The attempts
// run on the webhook task queue, apart from migrations' activities, so a slow or dead receiver holds up
// nothing else; the workflow itself (a few tiny tasks) runs where the workflow code is loaded already.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import {
  type WebhookDeliveryInput,
  type WebhookDeliveryActivities,
  FINAL_WEBHOOK_FAILURES,
} from '../contract';

export async function webhookDeliveryWorkflow(
  input: WebhookDeliveryInput,
): Promise<{ status: 'delivered' | 'failed'; statusCode?: number }> {
  const bookkeeping = proxyActivities<WebhookDeliveryActivities>({
    taskQueue: input.activityTaskQueue,
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 30 },
  });
  const sending = proxyActivities<WebhookDeliveryActivities>({
    taskQueue: input.activityTaskQueue,
    // The request gives up after attemptTimeoutSeconds; the margin covers loading and recording.
    startToCloseTimeout: (input.attemptTimeoutSeconds + 10) * 1000,
    scheduleToCloseTimeout: '24 hours',
    retry: {
      initialInterval: input.retryInitialSeconds * 1000,
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
      nonRetryableErrorTypes: FINAL_WEBHOOK_FAILURES,
    },
  });
  try {
    const { statusCode } = await sending.deliverWebhook({
      accountId: input.accountId,
      deliveryId: input.deliveryId,
      attemptTimeoutSeconds: input.attemptTimeoutSeconds,
    });
    return { status: 'delivered', statusCode };
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason =
      cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    await bookkeeping.markWebhookDeliveryFailed({
      accountId: input.accountId,
      deliveryId: input.deliveryId,
      reason: `Retries ended: ${reason}`,
    });
    return { status: 'failed' };
  }
}
