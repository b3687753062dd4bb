// delete_v2 removes a file, or a folder with its contents (Dropbox keeps them restorable for a while).
// Nothing at the path (path_lookup/not_found) is success.
import { ConnectorError, isConnectorError } from '../types';
import type { DropboxClient } from './client';
import { toDropboxPath } from './entries';

export async function deleteDropbox(client: DropboxClient, path: string): Promise<void> {
  const p = toDropboxPath(path);
  if (!p) throw new ConnectorError('invalid_path', 'Cannot delete the root folder');
  try {
    await client.call(`delete ${p}`, (api) => api.filesDeleteV2({ path: p }));
  } catch (err) {
    if (!isConnectorError(err, 'not_found')) throw err;
  }
}
