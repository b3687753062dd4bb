// mkdir -p: each missing folder is created with an id from files.generateIds, so a retried create
// answers 409 and the folder made by the first attempt is used, never a second one of the same name.
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError, type FileEntry } from '../types';
import type { DriveClient } from './client';
import { FILE_FIELDS, FOLDER_MIME, isFolder, joinPath, parsePath, toEntry } from './entries';
import { findChild, ROOT } from './resolve';
import { generateId } from './write';

async function createFolder(
  client: DriveClient,
  parentId: string,
  name: string,
): Promise<drive_v3.Schema$File> {
  const id = await generateId(client);
  const requestBody = { id, name, mimeType: FOLDER_MIME, parents: [parentId] };
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.call('create folder ' + name, (o) =>
        client.api.files.create({ requestBody, fields: FILE_FIELDS }, o),
      );
      return res.data;
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'already_exists') {
        const res = await client.call('get ' + id, (o) =>
          client.api.files.get({ fileId: id, fields: FILE_FIELDS }, o),
        );
        return res.data;
      }
      // A lost answer is retried here with the same id: it cannot make a duplicate.
      if (err instanceof ConnectorError && err.kind === 'retryable' && attempt < 2) continue;
      throw err;
    }
  }
}

export async function mkdirDrive(client: DriveClient, path: string): Promise<FileEntry> {
  const segments = parsePath(path);
  let current = ROOT;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const found = await findChild(client, current.id!, name);
    if (found && !isFolder(found)) {
      throw new ConnectorError('wrong_type', `${joinPath(segments.slice(0, i + 1))} is a file`);
    }
    current = found ?? (await createFolder(client, current.id!, name));
  }
  return segments.length === 0 ? toEntry({ ...ROOT, name: '' }, '/') : toEntry(current, joinPath(segments));
}
