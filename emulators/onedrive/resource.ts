// driveItem resources as Graph v1.0 returns them (personal OneDrive: quickXorHash and sha1Hash).
import type { DriveItem, OneDriveStore } from './store';

export function driveItem(store: OneDriveStore, item: DriveItem, origin: string): Record<string, unknown> {
  const isRoot = item.parentId === null;
  const out: Record<string, unknown> = {
    id: item.id,
    name: item.name,
    eTag: `"{${item.id}},${item.version}"`,
    cTag: `"c:{${item.id}},${item.contentVersion}"`,
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    size: item.folder ? folderSize(store, item) : item.content!.length,
    webUrl: `${origin}/view/${encodeURIComponent(item.id)}`,
    fileSystemInfo: {
      createdDateTime: item.createdDateTime,
      lastModifiedDateTime: item.lastModifiedDateTime,
    },
    parentReference: isRoot
      ? { driveId: store.driveId, driveType: 'personal' }
      : {
          driveId: store.driveId,
          driveType: 'personal',
          id: item.parentId === store.rootId ? store.rootId : item.parentId,
          path: `/drive/root:${parentPath(store, item)}`,
        },
  };
  if (isRoot) out.root = {};
  if (item.folder) {
    out.folder = { childCount: store.children(item.id).length };
  } else {
    out['@microsoft.graph.downloadUrl'] =
      `${origin}/_download/${encodeURIComponent(item.id)}?tempauth=v${item.contentVersion}`;
    out.file = {
      mimeType: item.mimeType ?? 'application/octet-stream',
      hashes: { quickXorHash: item.quickXorHash, sha1Hash: item.sha1Hash },
    };
  }
  return out;
}

function parentPath(store: OneDriveStore, item: DriveItem): string {
  const parent = item.parentId ? store.items.get(item.parentId) : undefined;
  if (!parent || parent.parentId === null) return '';
  return store
    .pathOf(parent)
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function folderSize(store: OneDriveStore, item: DriveItem): number {
  let total = 0;
  for (const c of store.children(item.id)) total += c.folder ? folderSize(store, c) : c.content!.length;
  return total;
}
