// Failures that stay local to a folder. A folder whose name or path the destination refuses, or that it
// could not create, is still listed, only to report every file in it as failed with the reason; a
// folder below the source root that cannot be listed at all becomes one failed item (its files cannot
// be named). Either way the rest of the migration goes on, and it ends completed_with_errors. Errors
// worth retrying (throttling, 5xx, a lost connection) and the connection's own failure still fail the
// activity, as they concern more than one folder.
import { joinPath } from '../../common/paths';
import { isConnectorError, type Connector, type FileEntry } from '../../connectors/types';
import type { FileTask, FrontierEntry } from '../../contract';

/** A connector error that concerns this folder alone (not worth retrying, not the whole connection). */
export const isLocalFailure = (err: unknown): err is Error =>
  isConnectorError(err) && err.kind !== 'retryable' && err.kind !== 'fatal_connection';

/** The frontier entry of a subfolder none of whose files is copied, for `reason`. */
export const failedFolder = (
  entry: FileEntry,
  path: string,
  destination: string,
  reason: string,
): FrontierEntry => ({
  path,
  id: entry.id,
  pageToken: null,
  destination,
  fail: reason,
});

/** A file inside a failed folder: failed with the folder's reason. */
export const failedFile = (
  entry: FileEntry,
  path: string,
  destination: string,
  reason: string,
): FileTask => ({
  sourcePath: path,
  sourceId: entry.id,
  destinationPath: destination,
  size: entry.size,
  modifiedAt: entry.modifiedAt,
  fail: reason,
});

/** One page of a failed folder: its files fail, its subfolders are listed for the same reason. */
export function failPage(top: FrontierEntry, here: string, entries: FileEntry[]) {
  const files: FileTask[] = [];
  const folders: FrontierEntry[] = [];
  for (const entry of entries) {
    const path = joinPath(top.path, entry.name);
    const at = joinPath(here, entry.name);
    if (entry.type === 'folder') folders.push(failedFolder(entry, path, at, top.fail!));
    else files.push(failedFile(entry, path, at, top.fail!));
  }
  return { files, folders };
}

/** The one item of a folder that could not be listed. */
export const unlistedFolder = (top: FrontierEntry, here: string, err: Error): FileTask => ({
  sourcePath: top.path,
  ...(top.id ? { sourceId: top.id } : {}),
  destinationPath: here,
  size: 0,
  modifiedAt: null,
  fail: `The folder could not be listed, so none of its files was copied: ${err.message}`,
});

/** Creates a destination folder; the reason it cannot be, when that concerns it alone. */
export async function makeFolder(destination: Connector, at: string): Promise<string | null> {
  try {
    await destination.mkdir(at);
    return null;
  } catch (err) {
    if (!isLocalFailure(err)) throw err;
    return `The destination folder ${at} could not be created, so nothing in it was copied: ${err.message}`;
  }
}
