// mkdir -p: each missing folder is created with an id from files.generateIds, so a retried create
// answers 409 and the folder made by the first attempt is used, never a second one of the same name.
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError, type FileEntry, type MkdirOptions } from '../types';
import type { DriveClient } from './client';
import { FILE_FIELDS, FOLDER_MIME, isFolder, joinPath, parsePath, toEntry } from './entries';
import { cachedFolder, findChild, rememberFolder, ROOT } from './resolve';
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

/** Folders this client was told were absent and tried to create (per client: one activity). */
const tried = new WeakMap<DriveClient, Set<string>>();
function triedOf(client: DriveClient): Set<string> {
  let paths = tried.get(client);
  if (!paths) tried.set(client, (paths = new Set()));
  return paths;
}

export async function mkdirDrive(
  client: DriveClient,
  path: string,
  options: MkdirOptions = {},
): Promise<FileEntry> {
  const segments = parsePath(path);
  if (options.parentId && segments.length > 0) {
    // The caller knows the parent, and whether its listing showed the name free (MkdirOptions).
    const name = segments[segments.length - 1]!;
    // Only a first try believes the listing: a try after a failed one may find the folder it made.
    const first = options.absent && !triedOf(client).has(path);
    triedOf(client).add(path);
    const found = first ? null : await findChild(client, options.parentId, name);
    if (found && !isFolder(found)) throw new ConnectorError('wrong_type', `${joinPath(segments)} is a file`);
    const folder = found ?? (await createFolder(client, options.parentId, name));
    rememberFolder(client, joinPath(segments), folder);
    return toEntry(folder, joinPath(segments));
  }
  // From the deepest folder this client already knows (resolve.ts): a tree's folders cost one
  // lookup each, not one per level of their path.
  let start = segments.length;
  while (start > 0 && !cachedFolder(client, joinPath(segments.slice(0, start)))) start--;
  let current = start > 0 ? cachedFolder(client, joinPath(segments.slice(0, start)))! : ROOT;
  for (let i = start; i < segments.length; i++) {
    const name = segments[i]!;
    const found = await findChild(client, current.id!, name);
    if (found && !isFolder(found)) {
      throw new ConnectorError('wrong_type', `${joinPath(segments.slice(0, i + 1))} is a file`);
    }
    current = found ?? (await createFolder(client, current.id!, name));
    rememberFolder(client, joinPath(segments.slice(0, i + 1)), current);
  }
  return segments.length === 0 ? toEntry({ ...ROOT, name: '' }, '/') : toEntry(current, joinPath(segments));
}
