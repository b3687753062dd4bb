// What the destination already holds, learned once per folder rather than once per file: exploring
// lists each destination folder it places files in (a folder it has just created is empty and is not
// listed) and tells every copy task what is at its name, so the copy's first try looks nothing up.
// Only this activity's own listings count: what it learns is never kept past it. A folder too large to
// list here leaves its tasks unannotated, and their copies look each name up as before.
import type { Connector, FileEntry } from '../../connectors/types';
import type { FoundEntry } from '../../contract';
import { isLocalFailure, makeFolder } from './subtree';

/** Pages of one destination folder listed at most (10,000 entries); beyond, its names are looked up. */
const MAX_PAGES = 10;

/** A destination folder's entries by name key; null when not known. */
export type FolderContents = Map<string, FileEntry> | null;

export class DestinationFolders {
  private readonly folders = new Map<string, FolderContents>();
  /** Folders' ids, where this activity made them or saw them in their parent's listing. */
  private readonly ids = new Map<string, string>();

  constructor(private readonly destination: Connector) {}

  /** How the destination matches names: as given, or without case where it ignores case. */
  key(name: string): string {
    return this.destination.features.caseInsensitive ? name.toLowerCase() : name;
  }

  /** The id of the destination folder `path`, when this activity knows it. */
  idOf(path: string): string | undefined {
    return this.ids.get(path);
  }

  /**
   * The folder `at`, whose parent's listing found `held` there (undefined: not listed): one already
   * there is used as it is; otherwise it is created (makeFolder), and is empty when the listing showed
   * nothing at its name. The reason it cannot be, as makeFolder gives it.
   */
  async folder(at: string, held: FileEntry | null | undefined): Promise<string | null> {
    if (held?.type === 'folder') {
      this.ids.set(at, held.id);
      return null;
    }
    let made: FileEntry | undefined;
    // The parent's id and listing spare the destination its own lookups (MkdirOptions).
    const parentId = this.ids.get(parentOf(at));
    const options = { ...(parentId ? { parentId } : {}), ...(held === null ? { absent: true } : {}) };
    const recording = Object.assign(Object.create(this.destination) as Connector, {
      mkdir: async (path: string) => (made = await this.destination.mkdir(path, options)),
    });
    const refused = await makeFolder(recording, at);
    if (refused) return refused;
    if (made?.id) this.ids.set(at, made.id);
    if (held === null) this.folders.set(at, new Map());
    return null;
  }

  /** The entries of the destination folder `path`, listed once per activity. */
  async contents(path: string): Promise<FolderContents> {
    if (!this.folders.has(path)) this.folders.set(path, await this.list(path));
    return this.folders.get(path)!;
  }

  private async list(path: string): Promise<FolderContents> {
    const found = new Map<string, FileEntry>();
    let pageToken: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      let listed;
      try {
        listed = await this.destination.list(path, { pageToken, pageSize: 1000 });
      } catch (err) {
        // Nothing there yet (or not a folder): its copies find out for themselves, as before.
        if (isLocalFailure(err)) return null;
        throw err;
      }
      // Where names may repeat (Drive), a lookup by name finds the oldest: so does this.
      for (const e of listed.entries) {
        const k = this.key(e.name);
        const had = found.get(k);
        if (!had || (e.createdAt ?? '') < (had.createdAt ?? '')) found.set(k, e);
      }
      if (listed.folderId) this.ids.set(path, listed.folderId);
      pageToken = listed.nextPageToken;
      if (!pageToken) return found;
    }
    return null;
  }
}

const parentOf = (path: string) => path.slice(0, Math.max(1, path.lastIndexOf('/')));

/** What a task's copy is told about its destination name: null for nothing there, undefined unknown. */
export function foundAt(contents: FolderContents, key: string, name: string): FoundEntry | null | undefined {
  if (!contents) return undefined;
  const e = contents.get(key);
  if (!e) return null;
  return {
    id: e.id,
    ...(e.name !== name ? { name: e.name } : {}),
    type: e.type,
    size: e.size,
    createdAt: e.createdAt,
    modifiedAt: e.modifiedAt,
    checksum: e.checksum,
  };
}
