// Migrations left `pending`: recorded, but their workflow never started — the API stopped between the
// two, or Temporal did not answer and could not be asked whether the start landed. The reconciler starts
// those Temporal has no workflow for (one that did land is left as it is), on the API's start and then
// periodically, so no row stays pending forever. A sync's runs are started by their own durable
// workflow and left alone.
import type { ApiDeps } from '../deps';
import { startMigrationWorkflow, workflowState } from './temporal';

export interface ReconcilerOptions {
  /** How old a pending row must be before it is started here (the API's own start may still be going). */
  graceMs?: number;
  /** How often to look again. */
  everyMs?: number;
  /** Rows per round. */
  batch?: number;
}

export interface Reconciler {
  /** One round now: answers how many migrations it started. */
  runOnce(): Promise<number>;
  stop(): void;
}

export function createReconciler(
  deps: Pick<ApiDeps, 'store' | 'temporal' | 'logger'>,
  opts: ReconcilerOptions = {},
): Reconciler {
  const graceMs = opts.graceMs ?? 30_000;
  const batch = opts.batch ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const round = async (): Promise<number> => {
    const pending = await deps.store.migrations.listPending(
      new Date(Date.now() - graceMs).toISOString(),
      batch,
    );
    let started = 0;
    for (const m of pending) {
      // Only a workflow Temporal never had: one that exists (waiting for a worker, or ended before it
      // recorded anything) is not started twice.
      const state = await workflowState(deps.temporal.client, m);
      if (state === 'started') continue;
      try {
        if (state === 'unknown') throw new Error('Temporal did not answer');
        await startMigrationWorkflow(deps.temporal.client, m, deps.temporal.taskQueue);
        started++;
      } catch (err) {
        // Temporal still does not answer: the next round tries again.
        deps.logger.warn({ err, migrationId: m.id }, 'could not start a pending migration');
        break;
      }
    }
    if (started) deps.logger.info({ started }, 'started pending migrations');
    return started;
  };
  const runOnce = () => (running ??= round().finally(() => (running = undefined)));

  if (opts.everyMs) {
    const tick = () => {
      runOnce()
        .catch((err: unknown) => deps.logger.warn({ err }, 'pending migrations were not reconciled'))
        .finally(() => {
          if (timer) timer = setTimeout(tick, opts.everyMs).unref();
        });
    };
    timer = setTimeout(tick, 0).unref();
  }
  return {
    runOnce,
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
