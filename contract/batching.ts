// Groups a page's files into copy activities: many small files per activity (fewer history events),
// and each large file alone (so it can stream, heartbeat its upload session and resume after a crash).
// Exploring groups what it stores (activities/listing/batches.ts); histories from before batches were
// stored group in the workflow.
import type { FileTask } from './copy';

export const LARGE_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Small files per batch between two local connections: a file on the copy threads costs a few tens of
 * microseconds, an activity some milliseconds, so larger batches pay. A pause still stops one between
 * two files (workflows/migration.ts).
 */
export const DIRECT_BATCH_FILES = 500;
const BATCH_MAX_BYTES = 256 * 1024 * 1024;

export function planBatches(
  files: FileTask[],
  maxFiles: number,
  largeBytes = LARGE_FILE_BYTES,
): { files: FileTask[]; large: boolean }[] {
  const batches: { files: FileTask[]; large: boolean }[] = [];
  let current: FileTask[] = [];
  let bytes = 0;
  for (const f of files) {
    // An exported document's size is unknown, but Drive exports at most 10 MB: a small file.
    const size = f.size ?? 0;
    if (size >= largeBytes) {
      batches.push({ files: [f], large: true });
      continue;
    }
    if (current.length >= maxFiles || bytes + size > BATCH_MAX_BYTES) {
      batches.push({ files: current, large: false });
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += size;
  }
  if (current.length > 0) batches.push({ files: current, large: false });
  return batches;
}
