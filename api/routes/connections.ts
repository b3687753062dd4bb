// Connections: create (local roots validated against the operator's allowed roots), list, get, delete.
import { AppError, invalidParameter, notFound } from '../../common/errors';
import { ConnectorError, resolveLocalRoot } from '../../connectors';
import type { ApiDeps } from '../deps';
import { fromConnectorError } from '../errors';
import { presentConnection } from '../presenters';
import { defineRoute, type Route } from '../route';
import { idParams } from '../schemas/common';
import {
  connectionListSchema,
  connectionSchema,
  createConnectionBody,
  listConnectionsInput,
} from '../schemas/connections';

async function checkedLocalRoot(root: string, allowedRoots: string[]): Promise<string> {
  try {
    return await resolveLocalRoot(root, allowedRoots);
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    if (err.kind === 'permission_denied') {
      throw new AppError(
        'permission_denied',
        `Invalid parameter 'config.root': ${err.message}`,
        'Use a folder inside one of the server’s allowed local roots (MIGRATECLOUDS_LOCAL_ROOTS).',
      );
    }
    if (err.kind === 'not_found' || err.kind === 'invalid_path' || err.kind === 'wrong_type') {
      throw invalidParameter('config.root', err.message, 'Pass the absolute path of an existing folder.');
    }
    throw fromConnectorError(err, 'config.root');
  }
}

export const connectionRoutes = ({ store, config }: ApiDeps): Route[] => [
  defineRoute({
    method: 'post',
    path: '/v1/connections',
    summary: 'Connect a storage service',
    description: 'For `local`, `config.root` must be an existing folder inside the server’s allowed roots.',
    input: createConnectionBody,
    status: 201,
    response: connectionSchema,
    errors: ['permission_denied'],
    async handler({ auth, input, res }) {
      const root = await checkedLocalRoot(input.config.root, config.localRoots);
      const connection = await store.connections.create({
        accountId: auth.account.id,
        service: input.service,
        name: input.name ?? `${input.service}:${root}`,
        config: { root },
      });
      res.location(`/v1/connections/${connection.id}`);
      return presentConnection(connection);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/connections',
    summary: 'List connections, oldest first',
    input: listConnectionsInput,
    status: 200,
    response: connectionListSchema,
    async handler({ auth, input }) {
      const page = await store.connections.list(auth.account.id, {
        pageSize: input.page_size,
        pageToken: input.page_token,
      });
      return { connections: page.items.map(presentConnection), next_page_token: page.nextPageToken };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/connections/:id',
    summary: 'One connection',
    params: idParams('conn', 'the connection'),
    status: 200,
    response: connectionSchema,
    errors: ['resource_not_found'],
    async handler({ auth, params }) {
      const connection = await store.connections.get(auth.account.id, params.id);
      if (!connection) throw notFound('Connection', params.id);
      return presentConnection(connection);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/connections/:id',
    summary: 'Delete a connection',
    description:
      'Running migrations that use it fail on their next step (they load the connection for every activity).',
    params: idParams('conn', 'the connection'),
    status: 200,
    response: connectionSchema,
    errors: ['resource_not_found'],
    async handler({ auth, params }) {
      const connection = await store.connections.get(auth.account.id, params.id);
      if (!connection || !(await store.connections.delete(auth.account.id, params.id))) {
        throw notFound('Connection', params.id);
      }
      return presentConnection(connection);
    },
  }),
];
