// OneDrive's content in memory: driveItems addressed by id, each with one parent. Names are unique
// within a folder case-insensitively (the case a name was created with is kept), and a change log
// with increasing sequence numbers backs the delta feed.
import { randomBytes } from 'node:crypto';
import { createHasher } from '../../common/hashing';

export interface DriveItem {
  id: string;
  name: string;
  /** null for the root only. */
  parentId: string | null;
  folder: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Bumped on every change (eTag), and on content changes (cTag). */
  version: number;
  contentVersion: number;
  /** Files only. */
  content?: Buffer;
  quickXorHash?: string;
  sha1Hash?: string;
  mimeType?: string;
  /** Sequence number of the item's latest change (delta). */
  changeSeq: number;
}

export interface Tombstone {
  id: string;
  parentId: string | null;
  changeSeq: number;
}

/** OneDrive-like ids: 16 hex digits, "!", a counter. */
const DRIVE_ID = randomBytes(8).toString('hex').toUpperCase();

export class OneDriveStore {
  readonly driveId = DRIVE_ID.toLowerCase();
  rootId = `${DRIVE_ID}!101`;
  items = new Map<string, DriveItem>();
  deleted = new Map<string, Tombstone>();
  seq = 0;
  private counter = 101;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.items.clear();
    this.deleted.clear();
    const now = new Date().toISOString();
    this.items.set(
      this.rootId,
      this.make({ id: this.rootId, name: 'root', parentId: null, folder: true }, now),
    );
  }

  get(id: string): DriveItem | undefined {
    return this.items.get(id === 'root' ? this.rootId : id);
  }

  children(parentId: string): DriveItem[] {
    return [...this.items.values()].filter((i) => i.parentId === parentId);
  }

  /** The child named `name` (case-insensitively), if any. */
  child(parentId: string, name: string): DriveItem | undefined {
    const lower = name.toLowerCase();
    return this.children(parentId).find((i) => i.name.toLowerCase() === lower);
  }

  /** Resolves path segments below `from`; undefined if any is missing or a file is in the way. */
  walk(from: DriveItem, segments: string[]): DriveItem | undefined {
    let at: DriveItem | undefined = from;
    for (const s of segments) {
      if (!at?.folder) return undefined;
      at = this.child(at.id, s);
    }
    return at;
  }

  /** The path of an item's folder as Graph writes it in parentReference.path. */
  pathOf(item: DriveItem): string {
    const names: string[] = [];
    for (let at: DriveItem | undefined = item; at && at.parentId; at = this.items.get(at.parentId)) {
      names.unshift(at.name);
    }
    return '/' + names.join('/');
  }

  createFolder(parentId: string, name: string, time?: string): DriveItem {
    const item = this.make({ name, parentId, folder: true }, time);
    this.items.set(item.id, item);
    return item;
  }

  createFile(parentId: string, name: string, content: Buffer, time?: string): DriveItem {
    const item = this.make({ name, parentId, folder: false }, time);
    this.setContent(item, content, time);
    this.items.set(item.id, item);
    return item;
  }

  /** New bytes for a file; hashes are computed from the stored bytes. */
  setContent(item: DriveItem, content: Buffer, time?: string): void {
    const digest = (alg: 'quickxor' | 'sha1') => {
      const h = createHasher(alg);
      h.update(content);
      return h.digest();
    };
    item.content = content;
    item.quickXorHash = digest('quickxor');
    item.sha1Hash = digest('sha1').toUpperCase();
    item.lastModifiedDateTime = time ?? new Date().toISOString();
    item.contentVersion++;
    this.touch(item);
  }

  /** Deletes an item and everything below it. */
  delete(id: string): void {
    for (const child of this.children(id)) this.delete(child.id);
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    this.deleted.set(id, { id, parentId: item.parentId, changeSeq: ++this.seq });
  }

  touch(item: DriveItem): void {
    item.version++;
    item.changeSeq = ++this.seq;
  }

  private make(
    meta: { id?: string; name: string; parentId: string | null; folder: boolean },
    time = new Date().toISOString(),
  ): DriveItem {
    return {
      id: meta.id ?? `${DRIVE_ID}!${++this.counter}`,
      name: meta.name,
      parentId: meta.parentId,
      folder: meta.folder,
      createdDateTime: time,
      lastModifiedDateTime: time,
      version: 1,
      contentVersion: 1,
      changeSeq: ++this.seq,
    };
  }
}
