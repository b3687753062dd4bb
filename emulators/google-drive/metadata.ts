// Creating a file from request metadata, with Drive's checks: parents must be folders, a client-chosen
// id must come from files.generateIds and may be used once (a second create with it answers 409).
import type { Response } from 'express';
import { badRequest, driveError, notFound } from './errors';
import { type DriveFile, type DriveStore, FOLDER_MIME } from './store';

export interface FileMetadata {
  id?: unknown;
  name?: unknown;
  mimeType?: unknown;
  parents?: unknown;
  modifiedTime?: unknown;
  createdTime?: unknown;
  trashed?: unknown;
}

/** Checks `meta` for a new file and creates it; answers the error and returns undefined otherwise. */
export function applyMetadata(
  store: DriveStore,
  res: Response,
  meta: FileMetadata,
  contentType: string | null,
  content: Buffer,
): DriveFile | undefined {
  const err = checkNew(store, meta);
  if (err) {
    err(res);
    return undefined;
  }
  const mimeType =
    typeof meta.mimeType === 'string' ? meta.mimeType : (contentType ?? 'application/octet-stream');
  const isFolder = mimeType === FOLDER_MIME;
  return store.create({
    id: typeof meta.id === 'string' ? meta.id : undefined,
    name: typeof meta.name === 'string' && meta.name ? meta.name : 'Untitled',
    mimeType,
    parents: parentsOf(store, meta),
    content: isFolder ? undefined : content,
    createdTime: typeof meta.createdTime === 'string' ? meta.createdTime : undefined,
    modifiedTime: typeof meta.modifiedTime === 'string' ? meta.modifiedTime : undefined,
  });
}

const parentsOf = (store: DriveStore, meta: FileMetadata): string[] =>
  Array.isArray(meta.parents) && meta.parents.length > 0
    ? meta.parents.map((p) => store.resolveId(String(p)))
    : [store.rootId];

/** The error answer for metadata that cannot make a new file, or null. */
export function checkNew(store: DriveStore, meta: FileMetadata): ((res: Response) => void) | null {
  if (meta.id !== undefined) {
    const id = String(meta.id);
    if (store.files.has(id)) {
      return (res) =>
        driveError(res, 409, 'duplicate', 'A file already exists with the provided ID.', {
          location: 'file.id',
          locationType: 'other',
        });
    }
    if (!store.generatedIds.has(id)) {
      return (res) => badRequest(res, 'The provided file ID is not usable.', 'file.id');
    }
  }
  if (meta.parents !== undefined && !Array.isArray(meta.parents)) {
    return (res) => badRequest(res, 'Invalid Value', 'parents');
  }
  if (Array.isArray(meta.parents) && meta.parents.length > 1) {
    return (res) =>
      driveError(res, 403, 'cannotAddParent', 'Increasing the number of parents is not allowed.');
  }
  for (const p of parentsOf(store, meta)) {
    const parent = store.get(p);
    if (!parent) return (res) => notFound(res, p);
    if (parent.mimeType !== FOLDER_MIME) {
      return (res) => badRequest(res, 'The specified parent is not a folder.', 'parents');
    }
  }
  return null;
}
