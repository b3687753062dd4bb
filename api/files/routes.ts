// Browsing files through a connection: list a folder (paged) and one item's metadata.
import { permissionDenied } from '../../common/errors';
import { type Connector, isConnectorError, serviceDefinition } from '../../connectors';
import type { Connection } from '../../store/types';
import { resolveConnection } from './target';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { fileEntrySchema, fileListSchema, fileMetadataInput, listFilesInput } from './schemas';
import { filePageTokens, PAGE_TOKEN_LIFETIME, type PageTokenBinding } from './page-tokens';
import { presentFile } from './presenter';

/** A connection the service stopped accepting is refused before any call to the service. */
export const needsReauthError = (c: Connection) =>
  permissionDenied(
    `Connection ${c.id} needs to be authorized again`,
    `${serviceDefinition(c.service).label} no longer accepts its authorization. Call ` +
      `GET /v1/connections/oauth/${c.service}/authorize?connection_id=${c.id} and open the ` +
      'authorization_url it answers in a browser.',
  );

export const fileRoutes = (deps: ApiContext): Route[] => {
  const { store } = deps;
  const pageTokens = filePageTokens(deps.config);
  /** Runs `call` on the connection's connector; a refused authorization (now or earlier) is a 403. */
  const withConnector = async <T>(c: Connection, call: (connector: Connector) => Promise<T>): Promise<T> => {
    if (c.status === 'needs_reauth') throw needsReauthError(c);
    try {
      return await call(await deps.openConnector(c));
    } catch (err) {
      if (isConnectorError(err) && err.needsReauth) throw needsReauthError(c);
      throw err;
    }
  };
  return [
    defineRoute({
      method: 'get',
      path: '/v1/files/list',
      summary: 'List a folder’s children (or, with recursive, all descendants), paged',
      description:
        'Parameters come from the query string or a JSON body. Pass service or connection_id. ' +
        `next_page_token is sealed to this listing (account, connection, path, recursive) and expires ` +
        `after ${PAGE_TOKEN_LIFETIME}; an altered, expired or foreign token answers ` +
        '400 invalid_parameter naming page_token.',
      input: listFilesInput,
      status: 200,
      response: fileListSchema,
      errors: ['resource_not_found', 'permission_denied', 'service_error'],
      async handler({ auth, input }) {
        const connection = await resolveConnection(store, auth.account.id, input);
        const binding: PageTokenBinding = {
          accountId: auth.account.id,
          connectionId: connection.id,
          path: input.path,
          recursive: input.recursive,
        };
        const pageToken = pageTokens.open(input.page_token, binding);
        const page = await withConnector(connection, (connector) =>
          connector.list(input.path, { recursive: input.recursive, pageSize: input.page_size, pageToken }),
        );
        return {
          files: page.entries.map(presentFile),
          next_page_token: pageTokens.seal(page.nextPageToken, binding),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/files/metadata',
      summary: 'Metadata of one file or folder',
      description: 'Parameters come from the query string or a JSON body. Pass service or connection_id.',
      input: fileMetadataInput,
      status: 200,
      response: fileEntrySchema,
      errors: ['resource_not_found', 'permission_denied', 'service_error'],
      async handler({ auth, input }) {
        const connection = await resolveConnection(store, auth.account.id, input);
        return presentFile(await withConnector(connection, (connector) => connector.stat(input.path)));
      },
    }),
  ];
};
