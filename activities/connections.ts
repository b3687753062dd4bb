// Builds a connector for a connection id, loading it from the store with its owner's id so an
// activity can never reach another account's connection.
import { ApplicationFailure } from '@temporalio/activity';
import type { Connector } from '../connectors/types';
import type { Connection, Store } from '../store/types';
import { FAILURE_TYPES, type EndpointRef } from '../contract';

/** Opens a stored connection's connector (see connectors/open.ts; tests may pass a simpler one). */
export type ConnectorFactory = (connection: Connection) => Connector | Promise<Connector>;

export async function connectorFor(
  store: Store,
  factory: ConnectorFactory,
  ref: EndpointRef,
): Promise<Connector> {
  const connection = await store.connections.get(ref.accountId, ref.connectionId);
  if (!connection) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.connectionGone,
      message: `Connection ${ref.connectionId} no longer exists`,
      nonRetryable: true,
    });
  }
  if (connection.status === 'needs_reauth') {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.connectionNeedsReauth,
      message: `Connection ${ref.connectionId} needs to be authorized again`,
      nonRetryable: true,
    });
  }
  return await factory(connection);
}
