// Paths and metadata: the connector's "/a/b" paths map to Dropbox paths ("" is the root), and Dropbox
// Metadata becomes FileEntry with content_hash as the checksum.
import { ConnectorError, type FileEntry } from '../types';

/** "/a/b" → "/a/b"; "/" → "" (the root, as list_folder wants it). Rejects "." and ".." segments. */
export function toDropboxPath(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new ConnectorError('invalid_path', `Invalid path: ${path}`);
  }
  return segments.length ? `/${segments.join('/')}` : '';
}

export const ROOT_ENTRY: FileEntry = {
  id: '',
  name: '',
  path: '/',
  type: 'folder',
  mimeType: null,
  size: null,
  createdAt: null,
  modifiedAt: null,
  checksum: null,
};

/** The fields of Dropbox's Metadata union that we read (files.*Metadata* all fit). */
export interface Meta {
  '.tag'?: string;
  name: string;
  id?: string;
  path_lower?: string;
  path_display?: string;
  size?: number;
  client_modified?: string;
  server_modified?: string;
  content_hash?: string;
}

export function toEntry(meta: Meta): FileEntry {
  const path = meta.path_display ?? meta.path_lower ?? `/${meta.name}`;
  if (meta['.tag'] === 'file' || meta.size !== undefined) {
    const f = meta;
    return {
      id: f.id ?? '',
      name: f.name,
      path,
      type: 'file',
      mimeType: null,
      size: f.size ?? 0,
      createdAt: null,
      modifiedAt: f.client_modified ?? f.server_modified ?? null,
      checksum: f.content_hash ? { algorithm: 'dropbox_content_hash', value: f.content_hash } : null,
    };
  }
  return {
    ...ROOT_ENTRY,
    id: meta.id ?? '',
    name: meta.name,
    path,
  };
}

/** Dropbox wants client_modified without fractional seconds. */
export const dropboxTime = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
