// Browsing files through a connection: list a folder (paged) and one item's metadata.
import { createConnector } from '../../connectors';
import type { Connection } from '../../store/types';
import { resolveConnection } from '../connection-target';
import type { ApiDeps } from '../deps';
import { presentFile } from '../presenters';
import { defineRoute, type Route } from '../route';
import { fileEntrySchema, fileListSchema, fileMetadataInput, listFilesInput } from '../schemas/files';

export const fileRoutes = ({ store, config }: ApiDeps): Route[] => {
  const connectorFor = (c: Connection) => createConnector(c, { localRoots: config.localRoots });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/files/list',
      summary: 'List a folder’s children (or, with recursive, all descendants), paged',
      description: 'Parameters come from the query string or a JSON body. Pass service or connection_id.',
      input: listFilesInput,
      status: 200,
      response: fileListSchema,
      errors: ['resource_not_found', 'permission_denied', 'service_error'],
      async handler({ auth, input }) {
        const connection = await resolveConnection(store, auth.account.id, input);
        const page = await connectorFor(connection).list(input.path, {
          recursive: input.recursive,
          pageSize: input.page_size,
          pageToken: input.page_token ?? null,
        });
        return { files: page.entries.map(presentFile), next_page_token: page.nextPageToken };
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
        return presentFile(await connectorFor(connection).stat(input.path));
      },
    }),
  ];
};
