// Drive's content in memory: files addressed by id, each with parents; names need not be unique.
import { randomBytes } from 'node:crypto';
import { createHasher } from '../../common/hashing';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const NATIVE_PREFIX = 'application/vnd.google-apps.';

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  /** Creation order, so "oldest" is well defined even within one millisecond. */
  seq: number;
  /** Binary files only. */
  content?: Buffer;
  md5Checksum?: string;
  sha1Checksum?: string;
  sha256Checksum?: string;
  /** Google-native documents: the size their Office export would have. */
  exportSize?: number;
  /** A folder shared without read access: listing its children is refused (403). */
  unreadable?: boolean;
}

export interface Change {
  fileId: string;
  removed: boolean;
  time: string;
}

/** Drive-like ids: 33 characters of base64url. */
export const newId = (): string => '1' + randomBytes(24).toString('base64url').slice(0, 32);

export class DriveStore {
  readonly rootId = '0A' + randomBytes(12).toString('base64url').slice(0, 16) + 'Uk9PVA';
  files = new Map<string, DriveFile>();
  /** Ids handed out by files.generateIds and not used yet. */
  generatedIds = new Set<string>();
  changes: Change[] = [];
  private seq = 0;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.files.clear();
    this.changes = [];
    const now = new Date().toISOString();
    this.files.set(this.rootId, {
      id: this.rootId,
      name: 'My Drive',
      mimeType: FOLDER_MIME,
      parents: [],
      createdTime: now,
      modifiedTime: now,
      trashed: false,
      seq: this.seq++,
    });
  }

  /** Resolves the 'root' alias. */
  resolveId(id: string): string {
    return id === 'root' ? this.rootId : id;
  }

  get(id: string): DriveFile | undefined {
    const f = this.files.get(this.resolveId(id));
    return f && !f.trashed ? f : undefined;
  }

  children(parentId: string): DriveFile[] {
    return [...this.files.values()].filter((f) => f.parents.includes(parentId) && !f.trashed);
  }

  create(meta: {
    id?: string;
    name: string;
    mimeType: string;
    parents: string[];
    content?: Buffer;
    createdTime?: string;
    modifiedTime?: string;
    exportSize?: number;
  }): DriveFile {
    const now = new Date().toISOString();
    const file: DriveFile = {
      id: meta.id ?? newId(),
      name: meta.name,
      mimeType: meta.mimeType,
      parents: meta.parents,
      createdTime: meta.createdTime ?? now,
      modifiedTime: meta.modifiedTime ?? now,
      trashed: false,
      seq: this.seq++,
      exportSize: meta.exportSize,
    };
    if (meta.id) this.generatedIds.delete(meta.id);
    if (meta.content) this.setContent(file, meta.content, meta.modifiedTime);
    this.files.set(file.id, file);
    this.record(file.id, false);
    return file;
  }

  /** New bytes for a binary file; hashes are computed from the stored bytes. */
  setContent(file: DriveFile, content: Buffer, modifiedTime?: string): void {
    file.content = content;
    const digest = (alg: 'md5' | 'sha1' | 'sha256') => {
      const h = createHasher(alg);
      h.update(content);
      return h.digest();
    };
    file.md5Checksum = digest('md5');
    file.sha1Checksum = digest('sha1');
    file.sha256Checksum = digest('sha256');
    file.modifiedTime = modifiedTime ?? new Date().toISOString();
    this.record(file.id, false);
  }

  /** Deletes a file, or a folder with everything below it. */
  delete(id: string): void {
    for (const child of this.children(id)) {
      if (child.parents.length === 1) this.delete(child.id);
      else child.parents = child.parents.filter((p) => p !== id);
    }
    this.files.delete(id);
    this.record(id, true);
  }

  /** True when `id` is `ancestor` or lies below it. */
  isWithin(id: string, ancestor: string): boolean {
    const f = this.files.get(id);
    if (!f) return false;
    if (id === ancestor) return true;
    return f.parents.some((p) => this.isWithin(p, ancestor));
  }

  record(fileId: string, removed: boolean): void {
    this.changes.push({ fileId, removed, time: new Date().toISOString() });
  }
}
