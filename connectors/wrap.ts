// One way to put something around every call of a connector (the request budget, re-auth marking):
// every function it has, its change feed's included, is wrapped, so no method can slip past a wrapper
// written before the method existed. Data (service, features) is copied as it is.
import type { ChangeFeed, Connector } from './types';

/** Runs one call of the wrapped connector. */
export type Around = <T>(call: () => Promise<T>) => Promise<T>;

/** Own and inherited members (a class instance's methods live on its prototype). */
function membersOf(target: object): string[] {
  const keys = new Set<string>();
  for (
    let o: object | null = target;
    o && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(o)) if (key !== 'constructor') keys.add(key);
  }
  return [...keys];
}

function wrapMethods<T extends object>(target: T, around: Around): T {
  const out: Record<string, unknown> = {};
  for (const key of membersOf(target)) {
    const value: unknown = (target as Record<string, unknown>)[key];
    out[key] =
      typeof value === 'function'
        ? (...args: unknown[]) =>
            around(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args))
        : value;
  }
  return out as T;
}

export function wrapConnector(connector: Connector, around: Around): Connector {
  const wrapped = wrapMethods(connector, around);
  if (!connector.changes) return wrapped;
  return { ...wrapped, changes: wrapMethods<ChangeFeed>(connector.changes, around) };
}
