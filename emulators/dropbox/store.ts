// The emulated Dropbox: one namespace of files and folders keyed by lower-cased path (Dropbox paths
// are case-insensitive but keep the case they were created with), content as Buffers, and a change log
// that list_folder cursors read from.
import { randomBytes } from 'node:crypto';
import { createHasher } from '../../common/hashing';

export interface DbxNode {
  id: string;
  tag: 'file' | 'folder';
  name: string;
  pathDisplay: string;
  pathLower: string;
  content?: Buffer;
  contentHash?: string;
  rev?: string;
  clientModified?: string;
  serverModified?: string;
}

export interface Change {
  seq: number;
  pathLower: string;
  /** null: deleted. */
  node: DbxNode | null;
  /** The deleted item's display path and name. */
  pathDisplay: string;
}

const newId = () => `id:${randomBytes(12).toString('base64url')}`;
const newRev = () => randomBytes(9).toString('hex').slice(0, 15);
/** Dropbox times carry no fractional seconds. */
export const dropboxTime = (d: Date | string = new Date()) =>
  new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const lower = (p: string) => p.toLowerCase();
export const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/'));
export const nameOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

export function contentHash(data: Buffer): string {
  const h = createHasher('dropbox_content_hash');
  h.update(data);
  return h.digest();
}

export class DropboxStore {
  readonly nodes = new Map<string, DbxNode>();
  readonly changes: Change[] = [];
  seq = 0;

  clear(): void {
    this.nodes.clear();
    this.changes.length = 0;
    this.seq = 0;
  }

  get(path: string): DbxNode | undefined {
    return this.nodes.get(lower(path));
  }

  /** The display path of `path` with the case of the existing ancestors. */
  display(path: string): string {
    const parent = parentOf(path);
    if (!parent) return path;
    const p = this.get(parent);
    return `${p ? p.pathDisplay : this.display(parent)}/${nameOf(path)}`;
  }

  /** Makes the missing folders of `path` (Dropbox creates parents on upload and create_folder). */
  ensureParents(path: string): void {
    const parent = parentOf(path);
    if (!parent || this.get(parent)) return;
    this.ensureParents(parent);
    this.put({
      id: newId(),
      tag: 'folder',
      name: nameOf(parent),
      pathDisplay: this.display(parent),
      pathLower: lower(parent),
    });
  }

  /** The first ancestor of `path` that is a file, if any (writes below a file conflict). */
  fileAncestor(path: string): DbxNode | undefined {
    for (let p = parentOf(path); p; p = parentOf(p)) {
      const n = this.get(p);
      if (n?.tag === 'file') return n;
    }
    return undefined;
  }

  createFolder(path: string): DbxNode {
    this.ensureParents(path);
    const node: DbxNode = {
      id: newId(),
      tag: 'folder',
      name: nameOf(path),
      pathDisplay: this.display(path),
      pathLower: lower(path),
    };
    this.put(node);
    return node;
  }

  /** Writes a file, replacing one at the same path (keeping its id and display name). */
  writeFile(path: string, content: Buffer, clientModified?: string): DbxNode {
    this.ensureParents(path);
    const existing = this.get(path);
    const now = dropboxTime();
    const node: DbxNode = {
      id: existing?.id ?? newId(),
      tag: 'file',
      name: existing?.name ?? nameOf(path),
      pathDisplay: existing?.pathDisplay ?? this.display(path),
      pathLower: lower(path),
      content,
      contentHash: contentHash(content),
      rev: newRev(),
      clientModified: clientModified ? dropboxTime(clientModified) : now,
      serverModified: now,
    };
    this.put(node);
    return node;
  }

  /** Deletes a node and everything below it; answers the node. */
  delete(path: string): DbxNode | undefined {
    const node = this.get(path);
    if (!node) return undefined;
    const prefix = `${node.pathLower}/`;
    for (const [key, n] of [...this.nodes]) {
      if (key === node.pathLower || key.startsWith(prefix)) {
        this.nodes.delete(key);
        this.log(key, null, n.pathDisplay);
      }
    }
    return node;
  }

  /** Children (or all descendants) of a folder ("" is the root), ordered by lower-cased path. */
  under(folderLower: string, recursive: boolean): DbxNode[] {
    const prefix = `${folderLower}/`;
    return [...this.nodes.values()]
      .filter(
        (n) =>
          n.pathLower.startsWith(prefix) && (recursive || !n.pathLower.slice(prefix.length).includes('/')),
      )
      .sort((a, b) => (a.pathLower < b.pathLower ? -1 : a.pathLower > b.pathLower ? 1 : 0));
  }

  private put(node: DbxNode): void {
    this.nodes.set(node.pathLower, node);
    this.log(node.pathLower, node, node.pathDisplay);
  }

  private log(pathLower: string, node: DbxNode | null, pathDisplay: string): void {
    this.changes.push({ seq: ++this.seq, pathLower, node, pathDisplay });
  }
}
