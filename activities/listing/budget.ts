// Bytes an exploring activity may hand back: its result is a workflow payload, which Temporal refuses
// above 2 MB (and warns about above 512 KB). Ordinary paths fit a thousand entries in ~150 KB, but a
// deep tree's long paths would not, so pages shrink with the folder's path length and exploring stops
// between pages once the result has grown past the budget.
export const RESULT_BUDGET_BYTES = 512 * 1024;
/** What a result never exceeds: the budget and one page past it, well within Temporal's 2 MB. */
export const RESULT_LIMIT_BYTES = 1536 * 1024;
/** One page may add at most this much, in the worst case of 255-byte names. */
const PAGE_BUDGET_BYTES = 1024 * 1024;
const MAX_NAME_BYTES = 255;
/** JSON keys, the source id, size, time and quotes of one file task. */
const TASK_OVERHEAD_BYTES = 200;

/** Worst-case bytes one entry listed in `folderPath` adds: source and destination paths, and a note. */
const worstEntryBytes = (folderPath: string) =>
  3 * (Buffer.byteLength(folderPath) + 1 + MAX_NAME_BYTES) + TASK_OVERHEAD_BYTES;

/** The page size to ask for in `folderPath`: at most `wanted`, fewer when its paths are long. */
export function pageSizeFor(folderPath: string, wanted: number): number {
  return Math.max(10, Math.min(wanted, Math.floor(PAGE_BUDGET_BYTES / worstEntryBytes(folderPath))));
}

/** Approximate payload bytes exploring hands back for one entry of `folderPath` (a task or a frontier entry). */
export const entryBytes = (folderPath: string, name: string) =>
  2 * (Buffer.byteLength(folderPath) + 1 + Buffer.byteLength(name)) + TASK_OVERHEAD_BYTES;
