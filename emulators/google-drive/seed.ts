// Fills the emulated drive with a generated tree (emulators/common/seed), and optionally a few
// Google-native documents.
import { generateTree, seedContent, type SeedEntry, type SeedOptions } from '../common/seed';
import { seedNatives, type SeededNative } from './natives';
import { type DriveStore, FOLDER_MIME } from './store';

export interface DriveSeedOptions extends SeedOptions {
  /** Also make "/Google Docs" with a document, sheet and deck, and a document too large to export. */
  natives?: boolean;
  /** Google-native documents to place in the tree by path (their folder must be in it), e.g. the demo's. */
  documents?: Array<{ path: string; mimeType: string; exportSize: number }>;
}

export function seedDrive(
  store: DriveStore,
  opts: DriveSeedOptions,
): { entries: SeedEntry[]; natives: SeededNative[] } {
  store.clear();
  const entries = generateTree(opts);
  const ids = new Map<string, string>([['/', store.rootId]]);
  const parentOf = (path: string) => ids.get(path.slice(0, path.lastIndexOf('/')) || '/')!;
  const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  for (const e of entries) {
    const f = store.create({
      name: nameOf(e.path),
      mimeType: e.type === 'folder' ? FOLDER_MIME : 'application/octet-stream',
      parents: [parentOf(e.path)],
      content: e.type === 'file' ? seedContent(e.path, e.size) : undefined,
      createdTime: e.modifiedAt,
      modifiedTime: e.modifiedAt,
    });
    ids.set(e.path, f.id);
  }
  const placed = (opts.documents ?? []).map(({ path, mimeType, exportSize }) => {
    const f = store.create({ name: nameOf(path), mimeType, parents: [parentOf(path)], exportSize });
    return { id: f.id, path, mimeType, exportSize };
  });
  return { entries, natives: [...placed, ...(opts.natives ? seedNatives(store) : [])] };
}
