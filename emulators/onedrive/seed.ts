// Fills the emulated OneDrive with a generated tree (emulators/common/seed). Names OneDrive refuses
// (" * : < > ? / \ |) cannot exist there, so such entries (and anything below them) are left out and
// reported as skipped.
import { generateTree, seedContent, type SeedEntry, type SeedOptions } from '../common/seed';
import { nameProblem } from './address';
import type { OneDriveStore } from './store';

export function seedOneDrive(
  store: OneDriveStore,
  opts: SeedOptions,
): { entries: SeedEntry[]; skipped: SeedEntry[] } {
  store.clear();
  const ids = new Map<string, string>([['/', store.rootId]]);
  const entries: SeedEntry[] = [];
  const skipped: SeedEntry[] = [];
  for (const e of generateTree(opts)) {
    const cut = e.path.lastIndexOf('/');
    const parentId = ids.get(e.path.slice(0, cut) || '/');
    const name = e.path.slice(cut + 1);
    if (!parentId || nameProblem(name)) {
      skipped.push(e);
      continue;
    }
    const item =
      e.type === 'folder'
        ? store.createFolder(parentId, name, e.modifiedAt)
        : store.createFile(parentId, name, seedContent(e.path, e.size), e.modifiedAt);
    ids.set(e.path, item.id);
    entries.push(e);
  }
  return { entries, skipped };
}
