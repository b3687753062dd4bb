// Ids every log line carries while one piece of work runs (an API request, an activity): the logger's
// mixin reads them from here, so code deep below (store, connectors, budgets, webhook publishing) logs
// them without being handed a logger of its own.
import { AsyncLocalStorage } from 'node:async_hooks';

/** camelCase, as the rest of the log: accountId, migrationId, workflowId, syncId, reqId… */
export type LogFields = Record<string, string>;

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` on every line logged inside it. The object is kept, not copied: fields added
 * later with addLogFields (the account once authenticated) appear on every line after that.
 */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run(fields, fn);
}

/** Adds fields to the work in progress (nothing outside one). */
export function addLogFields(fields: LogFields): void {
  const current = storage.getStore();
  if (current) Object.assign(current, fields);
}

export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}
