// mkdir -p in one call: create_folder_v2 makes missing parents itself; an existing folder is success.
import type { FileEntry } from '../types';
import { ConnectorError } from '../types';
import type { DropboxClient } from './client';
import { ROOT_ENTRY, toDropboxPath, toEntry } from './entries';

export async function statDropbox(client: DropboxClient, path: string): Promise<FileEntry> {
  const p = toDropboxPath(path);
  if (!p) return ROOT_ENTRY;
  return toEntry(await client.call(`stat ${p}`, (api) => api.filesGetMetadata({ path: p })));
}

/** The entry at `path`, or null when nothing is there (other failures, e.g. retryable ones, are thrown). */
export async function findDropbox(client: DropboxClient, path: string): Promise<FileEntry | null> {
  try {
    return await statDropbox(client, path);
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'not_found') return null;
    throw err;
  }
}

export async function mkdirDropbox(client: DropboxClient, path: string): Promise<FileEntry> {
  const p = toDropboxPath(path);
  if (!p) return ROOT_ENTRY;
  try {
    const res = await client.call(`mkdir ${p}`, (api) =>
      api.filesCreateFolderV2({ path: p, autorename: false }),
    );
    return toEntry(res.metadata);
  } catch (err) {
    if (!(err instanceof ConnectorError) || (err.kind !== 'already_exists' && err.kind !== 'wrong_type'))
      throw err;
    const existing = await findDropbox(client, p);
    if (existing?.type === 'folder') return existing;
    throw new ConnectorError('wrong_type', `${p} (or one of its parents) is a file`);
  }
}
