// What an emulator holds below a folder, read straight from its in-memory store (not through the
// connectors under test): every entry with its path relative to that folder and a SHA-256 of its
// bytes, duplicates included, so tests can compare trees byte for byte and find doubled names.
import { createHash } from 'node:crypto';
import type { DropboxEmulator } from '../../emulators/dropbox';
import type { GoogleDriveEmulator } from '../../emulators/google-drive';
import type { OneDriveEmulator } from '../../emulators/onedrive';

export interface TreeEntry {
  /** Relative to the folder walked, without a leading slash: "a/b.txt". */
  path: string;
  /** "folder", or the file's SHA-256. */
  digest: string;
}

const sha256 = (b: Buffer | undefined) =>
  createHash('sha256')
    .update(b ?? Buffer.alloc(0))
    .digest('hex');
const join = (prefix: string, name: string) => (prefix ? `${prefix}/${name}` : name);

/** Google Drive below the folder at `path` ("/" = My Drive). Names may repeat: every entry is listed. */
export function driveTree(emu: GoogleDriveEmulator, path = '/'): TreeEntry[] {
  let id = emu.store.rootId;
  for (const name of path.split('/').filter(Boolean)) {
    const next = emu.store.children(id).filter((f) => f.name === name);
    if (next.length !== 1) throw new Error(`Drive: ${next.length} entries named ${name} in ${path}`);
    id = next[0]!.id;
  }
  const out: TreeEntry[] = [];
  const walk = (folderId: string, prefix: string) => {
    for (const f of emu.store.children(folderId)) {
      const rel = join(prefix, f.name);
      const folder = f.mimeType === 'application/vnd.google-apps.folder';
      out.push({ path: rel, digest: folder ? 'folder' : sha256(f.content) });
      if (folder) walk(f.id, rel);
    }
  };
  walk(id, '');
  return out;
}

/** OneDrive below the folder at `path`. */
export function oneDriveTree(emu: OneDriveEmulator, path = '/'): TreeEntry[] {
  const root = emu.store.get(emu.store.rootId)!;
  const top = emu.store.walk(root, path.split('/').filter(Boolean));
  if (!top?.folder) throw new Error(`OneDrive: no folder ${path}`);
  const out: TreeEntry[] = [];
  const walk = (folderId: string, prefix: string) => {
    for (const i of emu.store.children(folderId)) {
      const rel = join(prefix, i.name);
      out.push({ path: rel, digest: i.folder ? 'folder' : sha256(i.content) });
      if (i.folder) walk(i.id, rel);
    }
  };
  walk(top.id, '');
  return out;
}

/** Dropbox below the folder at `path`. */
export function dropboxTree(emu: DropboxEmulator, path: string): TreeEntry[] {
  const lower = path.toLowerCase().replace(/\/$/, '');
  return emu.store.under(lower, true).map((n) => ({
    path: n.pathDisplay.slice(lower.length + 1),
    digest: n.tag === 'folder' ? 'folder' : sha256(n.content),
  }));
}

/** path → digest, sorted by path (what two trees are compared by). */
export function asMap(entries: TreeEntry[]): Map<string, string> {
  return new Map([...entries].sort((a, b) => (a.path < b.path ? -1 : 1)).map((e) => [e.path, e.digest]));
}

/** Paths that occur more than once (a Drive folder holding two entries of one name). */
export function duplicatePaths(entries: TreeEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const e of entries) seen.set(e.path, (seen.get(e.path) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([p]) => p);
}
