// Deleting moves the item to Drive's trash (files.update trashed=true), as rclone does by default:
// what mirror mode removes can still be restored for 30 days. Nothing at the path is success.
import { ConnectorError, isConnectorError } from '../types';
import type { DriveClient } from './client';
import { joinPath, parsePath } from './entries';
import { forgetFolders, resolvePath } from './resolve';

export async function deleteDrive(client: DriveClient, path: string): Promise<void> {
  const segments = parsePath(path);
  if (segments.length === 0) throw new ConnectorError('invalid_path', 'Cannot delete the root folder');
  let file;
  try {
    file = await resolvePath(client, segments);
  } catch (err) {
    if (isConnectorError(err, 'not_found') || isConnectorError(err, 'wrong_type')) return;
    throw err;
  }
  try {
    await client.call(`delete ${joinPath(segments)}`, (o) =>
      client.api.files.update({ fileId: file.id!, requestBody: { trashed: true }, fields: 'id' }, o),
    );
  } catch (err) {
    if (!isConnectorError(err, 'not_found')) throw err;
  } finally {
    // A later mkdir of the same path must not find the trashed folder in the cache.
    forgetFolders(client, joinPath(segments));
  }
}
