// Builds the connector for a stored connection. Only `local` is implemented so far.
import type { ServiceName } from '../common/services';
import { createLocalConnector } from './local';
import { ConnectorError, type Connector } from './types';

export * from './types';
export { createLocalConnector, resolveLocalRoot } from './local';
export { createHasher, HashingPassThrough, type Hasher } from './hashing';

export interface ConnectorContext {
  /** Operator-allowed folders that `local` connections must stay inside. */
  localRoots: string[];
}

export function createConnector(
  connection: { service: ServiceName; config: Record<string, unknown> },
  ctx: ConnectorContext,
): Connector {
  switch (connection.service) {
    case 'local': {
      const root = connection.config.root;
      if (typeof root !== 'string' || root === '') {
        throw new ConnectorError('fatal_connection', 'The local connection has no root folder configured');
      }
      return createLocalConnector(root, ctx.localRoots);
    }
    default:
      throw new ConnectorError('fatal_connection', `Service ${connection.service} is not supported yet`);
  }
}
