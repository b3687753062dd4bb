// Liveness (the process answers) and readiness (the store and Temporal answer too).
import { AppError } from '../../common/errors';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { z } from '../http/zod';

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const healthRoutes = ({ store, temporal, logger }: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the API process is up',
    public: true,
    status: 200,
    response: z.object({ status: z.literal('ok') }),
    async handler() {
      return { status: 'ok' };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the store and Temporal answer',
    public: true,
    status: 200,
    response: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('ok')) }),
    errors: ['service_error'],
    async handler() {
      const checks: Record<string, () => Promise<unknown>> = {
        store: () => store.ping(),
        temporal: () =>
          temporal.client.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.client.workflowService.getSystemInfo({}),
          ),
      };
      const failed: string[] = [];
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), name);
          } catch (err) {
            logger.warn({ err, check: name }, 'readiness check failed');
            failed.push(name);
          }
        }),
      );
      if (failed.length) {
        throw new AppError(
          'service_error',
          `Not ready: ${failed.sort().join(', ')} unavailable`,
          'See the API logs.',
          503,
        );
      }
      return { status: 'ready', checks: { store: 'ok', temporal: 'ok' } };
    },
  }),
];
