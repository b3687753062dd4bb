// FileEntry construction for local items: metadata from stat, MIME type guessed from the extension.
import type { Stats } from 'node:fs';
import type { FileEntry } from '../types';

// Common types only; anything else is reported as unknown (null) rather than guessed.
const MIME_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  rtf: 'application/rtf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  '7z': 'application/x-7z-compressed',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  epub: 'application/epub+zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/vnd.microsoft.icon',
  heic: 'image/heic',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
};

export function guessMimeType(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return MIME_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null;
}

/** A stat result as a FileEntry, or null for kinds we cannot represent (sockets, FIFOs, devices). */
export function toEntry(connectorPath: string, stats: Stats): FileEntry | null {
  const isFile = stats.isFile();
  if (!isFile && !stats.isDirectory()) return null;
  const name = connectorPath.slice(connectorPath.lastIndexOf('/') + 1);
  return {
    id: connectorPath,
    name,
    path: connectorPath,
    type: isFile ? 'file' : 'folder',
    mimeType: isFile ? guessMimeType(name) : null,
    size: isFile ? stats.size : null,
    // File systems without birth times report the epoch.
    createdAt: stats.birthtimeMs > 0 ? stats.birthtime.toISOString() : null,
    modifiedAt: stats.mtime.toISOString(),
    checksum: null,
  };
}
