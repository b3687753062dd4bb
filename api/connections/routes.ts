// Connections: create (local roots validated against the folders granted to the account; cloud refresh tokens
// checked with the service and sealed), list, get, delete.
import { AppError, invalidParameter, notFound } from '../../common/errors';
import { newId } from '../../common/ids';
import { ConnectorError, serviceDefinition, type Service } from '../../connectors';
import type { Connection } from '../../store/types';
import type { ApiContext } from '../context';
import { fromConnectorError } from '../http/errors';
import { storeNewConnection, verifyTokens } from './oauth/connect';
import { cloudSetup } from './oauth/setup';
import { defineRoute, type Route } from '../http/route';
import { idParams, inWords, OAUTH_SERVICE_NAMES, PATH_SERVICE_NAMES } from '../http/schemas';
import {
  connectionListSchema,
  connectionSchema,
  type CloudConnectionBody,
  createConnectionBody,
  listConnectionsInput,
} from './schemas';
import { presentConnection } from './presenter';

const code = (name: string) => `\`${name}\``;

/** A path service's connection config as stored (local: the root's real path inside the allowed roots). */
async function checkedConfig(
  service: Service,
  settings: unknown,
  config: { root: string },
  grantedRoots: string[],
): Promise<Record<string, unknown>> {
  try {
    return await service.path!.checkConfig(config, settings, grantedRoots);
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    if (err.kind === 'permission_denied') {
      throw new AppError(
        'permission_denied',
        `Invalid parameter 'config.root': ${err.message}`,
        grantedRoots.length
          ? `Use a folder inside one granted to this account: ${grantedRoots.join(', ')}.`
          : 'No folder on the server is granted to this account; the operator grants them with ' +
              '`migrateclouds admin grant-local-root`.',
      );
    }
    if (err.kind === 'not_found' || err.kind === 'invalid_path' || err.kind === 'wrong_type') {
      throw invalidParameter('config.root', err.message, 'Pass the absolute path of an existing folder.');
    }
    throw fromConnectorError(err, 'config.root');
  }
}

/** A cloud connection from a refresh token the caller already holds (e.g. from their own OAuth app flow). */
async function createCloudConnection(deps: ApiContext, accountId: string, input: CloudConnectionBody) {
  const setup = cloudSetup(deps, input.service);
  const tokens = await verifyTokens(
    setup,
    { accessToken: null, refreshToken: input.refresh_token, expiresAt: null },
    (reason) =>
      invalidParameter(
        'refresh_token',
        `${serviceDefinition(input.service).label} refused it`,
        `${reason}. Pass a current refresh token issued to this server’s OAuth app, or connect through ` +
          `GET /v1/connections/oauth/${input.service}/authorize.`,
      ),
  );
  return storeNewConnection(deps.store, setup, { id: newId('conn'), accountId, name: input.name, tokens });
}

export const connectionRoutes = (deps: ApiContext): Route[] => {
  const { store, config } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/v1/connections',
      summary: 'Connect a storage service',
      description:
        `For ${inWords(PATH_SERVICE_NAMES, code)}, \`config.root\` must be an existing folder inside one the ` +
        `operator granted to the account (\`admin grant-local-root\`). For ${inWords(OAUTH_SERVICE_NAMES, code)}, \`refresh_token\` is checked with the service ` +
        '(one small listing), then stored encrypted; the service must be configured on the server. To connect ' +
        'through the service’s consent screen instead, see GET /v1/connections/oauth/{service}/authorize.',
      input: createConnectionBody,
      status: 201,
      response: connectionSchema,
      errors: ['permission_denied', 'service_error'],
      async handler({ auth, input, res }) {
        let connection: Connection;
        const service = serviceDefinition(input.service);
        if ('config' in input) {
          const granted = await store.localGrants.rootsOf(auth.account.id);
          const checked = await checkedConfig(service, config.services[service.name], input.config, granted);
          connection = await store.connections.create({
            accountId: auth.account.id,
            service: input.service,
            name: input.name ?? `${input.service}:${String(checked.root)}`,
            config: checked,
          });
        } else {
          connection = await createCloudConnection(deps, auth.account.id, input);
        }
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
};
