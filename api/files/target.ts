// Finds the connection a files request means: `connection_id`, or the account's only connection of `service`.
import { AppError, invalidParameter, notFound } from '../../common/errors';
import type { Connection, Store } from '../../store/types';
import type { ServiceName } from '../../contract';

export async function resolveConnection(
  store: Store,
  accountId: string,
  target: { service?: ServiceName; connection_id?: string },
): Promise<Connection> {
  if (target.connection_id) {
    const connection = await store.connections.get(accountId, target.connection_id);
    if (!connection) throw notFound('Connection', target.connection_id);
    if (target.service && target.service !== connection.service) {
      throw invalidParameter(
        'service',
        `connection ${connection.id} is a ${connection.service} connection, not ${target.service}`,
        'Pass either connection_id or service, or make them agree.',
      );
    }
    return connection;
  }
  if (!target.service) {
    throw invalidParameter(
      'connection_id',
      'is required when service is not given',
      'Pass connection_id, or service to use your only connection of that service.',
    );
  }
  const matches = await store.connections.listByService(accountId, target.service);
  if (matches.length === 0) {
    throw new AppError(
      'resource_not_found',
      `You have no ${target.service} connection`,
      'Create one with POST /v1/connections.',
    );
  }
  if (matches.length > 1) {
    throw invalidParameter(
      'connection_id',
      `you have several ${target.service} connections; pass connection_id`,
      `Choose one of: ${matches.map((c) => c.id).join(', ')}.`,
    );
  }
  return matches[0]!;
}
