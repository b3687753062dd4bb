// Connectors wrapped by tests that slow or gate reads.
import type { Connector } from '../../connectors';

/**
 * `connector` with its `openRead` replaced, and every file read through it: without the local copy
 * threads (`localDirect`, connectors/local/direct.ts), which read the files themselves, around the wrapper.
 */
export function readingThrough(connector: Connector, openRead: Connector['openRead']): Connector {
  return new Proxy(connector, {
    get: (target, prop, receiver) =>
      prop === 'openRead'
        ? openRead
        : prop === 'localDirect'
          ? undefined
          : Reflect.get(target, prop, receiver),
  });
}
