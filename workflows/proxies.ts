// Activity proxies with the timeouts and retry policies each kind of work needs.
import { ActivityCancellationType, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { type MigrationActivities, CONNECTION_FAILURES, PUBLISH_MAX_ATTEMPTS } from '../contract';

/** Store writes: quick, and retried for a long time because losing them loses the final status. */
export const storeActivities = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 50 },
});

/**
 * The same store writes as local activities, for a migration's first and last steps (admission, the
 * final status): the worker that runs the workflow task runs them at once, with no task-queue dispatch
 * and no workflow task per result — a small migration's steps no longer wait behind other tenants'
 * tasks in the queue. Each is short and safe to repeat (a retried workflow task runs it again).
 */
export const quickStoreActivities = proxyLocalActivities<MigrationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 50 },
});

/** The spilled folder frontier (workflows/frontier.ts): store writes whose loss would lose folders. */
export const frontierStoreActivities = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 50 },
});

// Listing activities heartbeat every two seconds while their worker's event loop is free
// (activities/listing/pacing.ts): one whose worker died or froze is retried on another after the
// heartbeat timeout, not after the five minutes of its start-to-close timeout.
export const listingActivities = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: CONNECTION_FAILURES,
  },
});

// Copies heartbeat every few seconds: a crashed worker is noticed within the heartbeat timeout, and a
// cancellation reaches the activity (which aborts its streams and removes partial files) as quickly.
// The workflow waits for that clean-up before it reports `cancelled`.
const copyOptions = {
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: CONNECTION_FAILURES,
  },
} as const;

/** Batches of small files. */
export const copyActivities = proxyActivities<MigrationActivities>({
  ...copyOptions,
  startToCloseTimeout: '2 hours',
});

/** One large file: may stream for a long time. */
export const largeCopyActivities = proxyActivities<MigrationActivities>({
  ...copyOptions,
  startToCloseTimeout: '24 hours',
});

/**
 * Webhook events (publishEvent, publishMigrationEvent): a store write and workflow starts, never a
 * receiver's answer. The last attempt swallows its error; callers still catch (a timeout can fail it).
 */
const eventOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '10 seconds',
    maximumAttempts: PUBLISH_MAX_ATTEMPTS,
  },
} as const;
export const eventActivities = proxyActivities<MigrationActivities>(eventOptions);

/** The same as local activities (see quickStoreActivities): a migration's start and end events. */
export const quickEventActivities = proxyLocalActivities<MigrationActivities>(eventOptions);
