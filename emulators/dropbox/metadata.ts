// Dropbox's Metadata union as the API returns it, and the path rules every endpoint shares.
import type { Response } from 'express';
import { endpointError } from './errors';
import type { DbxNode, DropboxStore } from './store';

export function metadataOf(n: DbxNode): Record<string, unknown> {
  const common = { name: n.name, path_lower: n.pathLower, path_display: n.pathDisplay, id: n.id };
  if (n.tag === 'folder') return { '.tag': 'folder', ...common };
  return {
    '.tag': 'file',
    ...common,
    client_modified: n.clientModified,
    server_modified: n.serverModified,
    rev: n.rev,
    size: n.content?.length ?? 0,
    is_downloadable: true,
    content_hash: n.contentHash,
  };
}

/** FileMetadata / FolderMetadata as a struct (upload, finish, create_folder_v2): without ".tag". */
export function structOf(n: DbxNode): Record<string, unknown> {
  const { '.tag': _tag, ...rest } = metadataOf(n);
  void _tag;
  return rest;
}

export const deletedOf = (pathLower: string, pathDisplay: string) => ({
  '.tag': 'deleted',
  name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
  path_lower: pathLower,
  path_display: pathDisplay,
});

/**
 * The path of an argument: "" (root) when allowed, "/a/b", or "id:…" resolved to its path. Answers the
 * 409 malformed_path itself and returns null when the path is unusable.
 */
export function argPath(
  res: Response,
  store: DropboxStore,
  raw: unknown,
  opts: { member?: string; allowRoot?: boolean } = {},
): string | null {
  const member = opts.member ?? 'path';
  const path = typeof raw === 'string' ? raw : '';
  if (path.startsWith('id:')) {
    const node = [...store.nodes.values()].find((n) => n.id === path);
    if (node) return node.pathDisplay;
    endpointError(res, { '.tag': member, [member]: { '.tag': 'not_found' } });
    return null;
  }
  if ((path === '' || path === '/') && opts.allowRoot) return '';
  if (!path.startsWith('/') || path.endsWith('/') || path.includes('//') || path === '/') {
    endpointError(res, { '.tag': member, [member]: { '.tag': 'malformed_path' } });
    return null;
  }
  return path.normalize('NFC');
}
