// What a commit does to the namespace (upload and upload_session/finish): the WriteMode rules,
// conflicts, autorename, and the optional content_hash check.
import type { Tagged } from './errors';
import { type DbxNode, type DropboxStore, contentHash, nameOf, parentOf } from './store';

export interface CommitInfo {
  path: string;
  mode?: string | { '.tag': string; update?: string };
  autorename?: boolean;
  client_modified?: string;
  strict_conflict?: boolean;
}

const modeOf = (m: CommitInfo['mode']) => (typeof m === 'string' ? { '.tag': m } : (m ?? { '.tag': 'add' }));

function renamed(store: DropboxStore, path: string): string {
  const name = nameOf(path);
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 1; ; i++) {
    const candidate = `${parentOf(path)}/${base} (${i})${ext}`;
    if (!store.get(candidate)) return candidate;
  }
}

/** The stored file, or the WriteError (or content_hash_mismatch) to answer with. */
export function commit(
  store: DropboxStore,
  info: CommitInfo,
  content: Buffer,
  expectedHash?: string,
): { node: DbxNode } | { error: Tagged; write: boolean } {
  const hash = contentHash(content);
  if (expectedHash !== undefined && expectedHash !== hash) {
    return { error: { '.tag': 'content_hash_mismatch' }, write: false };
  }
  const conflictOf = (kind: string): Tagged => ({ '.tag': 'conflict', conflict: { '.tag': kind } });
  const blocker = store.fileAncestor(info.path);
  if (blocker) return { error: conflictOf('file_ancestor'), write: true };
  const existing = store.get(info.path);
  const mode = modeOf(info.mode);
  let path = info.path;
  if (existing) {
    const identical = existing.tag === 'file' && existing.contentHash === hash && !info.strict_conflict;
    const clash =
      existing.tag === 'folder' ||
      (mode['.tag'] === 'add' && !identical) ||
      (mode['.tag'] === 'update' && existing.rev !== mode.update && !identical);
    if (clash) {
      if (!info.autorename) return { error: conflictOf(existing.tag), write: true };
      path = renamed(store, info.path);
    } else if (identical && mode['.tag'] !== 'overwrite') {
      return { node: existing };
    }
  }
  return { node: store.writeFile(path, content, info.client_modified) };
}
