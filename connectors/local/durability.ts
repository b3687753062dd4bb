// When the local connector's writes reach the disk (LOCAL_FSYNC). Every mode keeps writes atomic:
// bytes go to a partial file that takes the target's name only once complete, so a killed worker
// never leaves a half-written file under a real name. The modes differ in when fsync runs:
//   file   each file's data is fsynced before it takes its name, and its folder right after: a
//          write is durable when it returns (one fsync of the file and one of the folder per file);
//   batch  each file's data is still fsynced before it takes its name (a name never shows a file
//          whose bytes a power cut could lose), but the folders' fsyncs, which make the new names
//          durable, wait for `flush()`, once per folder for everything written since the last one.
//          The copy activity flushes before it reports files (in a heartbeat, the store or its
//          result), so what it reports is durable; a power cut before that can only lose names;
//   off    no fsync at all, as `rclone copy` (1.60) does: the operating system writes back later.
//          Still atomic against a killed worker, not against a power cut.
import { promises as fsp } from 'node:fs';

export const LOCAL_FSYNC_MODES = ['batch', 'file', 'off'] as const;
export type LocalFsync = (typeof LOCAL_FSYNC_MODES)[number];

/** Folders synced at once by a flush. */
const FLUSH_CONCURRENCY = 8;
/** A connector nobody flushes (a test, a one-off write) syncs by itself past this many folders. */
const MAX_PENDING_FOLDERS = 256;

export class Durability {
  private pending = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(readonly mode: LocalFsync) {}

  /** Whether a file's data is fsynced before it takes its name. */
  get syncData(): boolean {
    return this.mode !== 'off';
  }

  /** After a file took its name in `folder`: makes the name durable now, or at the next flush. */
  async named(folder: string): Promise<void> {
    if (this.mode === 'file') return syncFolder(folder);
    if (this.mode === 'off') return;
    this.pending.add(folder);
    if (this.pending.size >= MAX_PENDING_FOLDERS) await this.flush();
  }

  /**
   * Makes every write that returned before this call durable (batch mode; nothing to do otherwise).
   * Flushes run one after another, each syncing the folders named since the previous one.
   */
  flush(): Promise<void> {
    const folders = [...this.pending];
    this.pending.clear();
    const run = this.flushing.then(() => syncAll(folders));
    // A failed flush fails its caller; the next one starts regardless.
    this.flushing = run.catch(() => undefined);
    return run;
  }
}

async function syncAll(folders: string[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < folders.length) await syncFolder(folders[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, folders.length) }, lane));
}

/** Makes the names in a folder durable; best effort, as not every file system lets a folder be fsynced. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await fsp.open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
