// Graph driveItems as FileEntry, the paths the connector accepts ("/a/b" below the drive root), and
// the names OneDrive refuses.
import { problemUnder } from '../name-rules';
import { ConnectorError, type FileEntry } from '../types';
import { ONEDRIVE_NAMES } from './names';

export interface GraphItem {
  id: string;
  name: string;
  size?: number;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  fileSystemInfo?: { createdDateTime?: string; lastModifiedDateTime?: string };
  folder?: { childCount?: number };
  file?: { mimeType?: string; hashes?: { quickXorHash?: string; sha1Hash?: string } };
  root?: object;
  deleted?: object;
}

export interface GraphPage {
  value: GraphItem[];
  '@odata.nextLink'?: string;
}

export const isFolder = (i: GraphItem): boolean => i.folder !== undefined || i.root !== undefined;

export function toEntry(i: GraphItem, path: string): FileEntry {
  const folder = isFolder(i);
  const hash = i.file?.hashes?.quickXorHash;
  return {
    id: i.id,
    name: i.root ? '' : i.name,
    path,
    type: folder ? 'folder' : 'file',
    mimeType: folder ? null : (i.file?.mimeType ?? null),
    size: folder ? null : (i.size ?? null),
    createdAt: i.fileSystemInfo?.createdDateTime ?? i.createdDateTime ?? null,
    modifiedAt: i.fileSystemInfo?.lastModifiedDateTime ?? i.lastModifiedDateTime ?? null,
    checksum: hash ? { algorithm: 'quickxor', value: hash } : null,
  };
}

/** "/a/b" → ["a", "b"]; rejects empty, "." and ".." segments. */
export function parsePath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ConnectorError('invalid_path', `Paths must start with "/": ${String(path)}`);
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\0'))) {
    throw new ConnectorError('invalid_path', `Invalid path ${path}`);
  }
  return segments;
}

export const joinPath = (segments: string[]): string => '/' + segments.join('/');
export const childPath = (parent: string, name: string): string =>
  parent === '/' ? `/${name}` : `${parent}/${name}`;

/** True when OneDrive could hold an item of this name (the rules live in names.ts). */
export const allowedName = (name: string): boolean => problemUnder(ONEDRIVE_NAMES, name) === null;

/** Refuses, as fatal for this file, a name OneDrive would answer 400 invalidRequest for. */
export function checkName(name: string, path: string): void {
  const problem = problemUnder(ONEDRIVE_NAMES, name);
  if (problem) {
    throw new ConnectorError(
      'fatal_file',
      `OneDrive does not allow the name "${name}" (${path}): ${problem}`,
    );
  }
}

/** The Graph address of an item by path: "/me/drive/root" or "/me/drive/root:/a/b%20c:". */
export const itemAddress = (segments: string[]): string =>
  segments.length === 0 ? '/me/drive/root' : `/me/drive/root:/${segments.map(encodeURIComponent).join('/')}:`;

/** A child of a folder addressed by id: "/me/drive/items/{id}:/{name}:". */
export const childAddress = (parentId: string, name: string): string =>
  `/me/drive/items/${encodeURIComponent(parentId)}:/${encodeURIComponent(name)}:`;
