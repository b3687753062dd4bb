// Drive files as FileEntry, and the paths the connector accepts ("/a/b" below the user's My Drive).
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError, type ExportFormat, type FileEntry } from '../types';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const NATIVE_PREFIX = 'application/vnd.google-apps.';
/** The file fields every call asks for. */
export const FILE_FIELDS = 'id,name,mimeType,size,md5Checksum,createdTime,modifiedTime,parents';

export const isFolder = (f: drive_v3.Schema$File): boolean => f.mimeType === FOLDER_MIME;
export const isNative = (f: drive_v3.Schema$File): boolean =>
  !isFolder(f) && (f.mimeType ?? '').startsWith(NATIVE_PREFIX);

const OFFICE = 'application/vnd.openxmlformats-officedocument';
/** What each kind of Google-native document exports to (the others cannot be exported). */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  'application/vnd.google-apps.document': {
    extension: 'docx',
    mimeType: `${OFFICE}.wordprocessingml.document`,
  },
  'application/vnd.google-apps.spreadsheet': { extension: 'xlsx', mimeType: `${OFFICE}.spreadsheetml.sheet` },
  'application/vnd.google-apps.presentation': {
    extension: 'pptx',
    mimeType: `${OFFICE}.presentationml.presentation`,
  },
  'application/vnd.google-apps.drawing': { extension: 'pdf', mimeType: 'application/pdf' },
};

export function toEntry(f: drive_v3.Schema$File, path: string): FileEntry {
  const folder = isFolder(f);
  const native = isNative(f) ? { export: EXPORT_FORMATS[f.mimeType ?? ''] ?? null } : {};
  return {
    ...native,
    id: f.id ?? '',
    name: f.name ?? '',
    path,
    type: folder ? 'folder' : 'file',
    mimeType: f.mimeType ?? null,
    // Google-native documents have no size until exported.
    size: folder || f.size == null ? null : Number(f.size),
    createdAt: f.createdTime ?? null,
    modifiedAt: f.modifiedTime ?? null,
    checksum: f.md5Checksum ? { algorithm: 'md5', value: f.md5Checksum } : null,
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
