// DELETE on the item (Graph moves it to the recycle bin, a folder with its contents). Nothing at the
// path is success, so a retried delete is no error.
import { ConnectorError, isConnectorError } from '../types';
import type { GraphClient } from './client';
import { joinPath, parsePath } from './entries';
import { forgetOneDriveFolders } from './mkdir';
import { getItem } from './resolve';

export async function deleteOneDrive(client: GraphClient, path: string): Promise<void> {
  const segments = parsePath(path);
  if (segments.length === 0) throw new ConnectorError('invalid_path', 'Cannot delete the root folder');
  forgetOneDriveFolders(client, joinPath(segments));
  let item;
  try {
    item = await getItem(client, segments);
  } catch (err) {
    if (isConnectorError(err, 'not_found')) return;
    throw err;
  }
  try {
    await client.call(`delete ${joinPath(segments)}`, () =>
      client.api(`/me/drive/items/${encodeURIComponent(item.id)}`).delete(),
    );
  } catch (err) {
    if (!isConnectorError(err, 'not_found')) throw err;
  }
}
