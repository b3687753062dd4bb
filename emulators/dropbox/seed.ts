// Fills the emulated Dropbox with a generated tree (emulators/common/seed).
import { generateTree, seedContent, type SeedEntry, type SeedOptions } from '../common/seed';
import type { DropboxStore } from './store';

export function seedDropbox(store: DropboxStore, opts: SeedOptions): { entries: SeedEntry[] } {
  store.clear();
  const entries = generateTree(opts);
  for (const e of entries) {
    if (e.type === 'folder') store.createFolder(e.path);
    else store.writeFile(e.path, seedContent(e.path, e.size), e.modifiedAt);
  }
  return { entries };
}
