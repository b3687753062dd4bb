// Per-connection request budgets: in this process by default, shared through Redis when configured.
import type { Logger } from '../../common/logger';
import { createMemoryBudgets } from './budgets';
import { createRedisBudgets } from './redis';
import type { RequestBudgets } from './types';

export { abortableSleep, createBudgets, createMemoryBudgets, type BucketStore } from './budgets';
export { createRedisBudgets, type RedisBudgetOptions } from './redis';
export * from './types';

/** The budgets a worker or API process uses: in Redis when `redisUrl` is set, else in memory. */
export function createRequestBudgets(opts: { redisUrl?: string; logger?: Logger }): RequestBudgets {
  return opts.redisUrl ? createRedisBudgets(opts) : createMemoryBudgets();
}
