// What the API needs from the outside world; main.ts builds it, tests pass real instances.
import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { RequestBudgets } from '../connectors/budget';
import type { SecretBox } from '../common/secret-box';
import type { Logger } from '../common/logger';
import type { Store } from '../store/types';
import type { AccountRateLimiter } from './http/rate-limit';

export interface ApiDeps {
  store: Store;
  temporal: {
    client: Client;
    namespace: string;
    /** Where migration workflows are queued; defaults to TASK_QUEUE (tests isolate themselves with their own). */
    taskQueue?: string;
  };
  config: Config;
  logger: Logger;
  rateLimiter: AccountRateLimiter;
  /** Per-connection request budgets for calls to the services (file browsing); none = unpaced. */
  budgets?: RequestBudgets;
  /** Seals cloud credentials; createApp derives it from MIGRATECLOUDS_ENCRYPTION_KEY when not given. */
  box?: SecretBox;
  /** A span per request (api/tracing.ts), when OpenTelemetry tracing is on. */
  requestTracing?: RequestHandler;
  /** Injectable clock (rate-limit reset times); defaults to the wall clock. */
  clock?: () => Date;
}
