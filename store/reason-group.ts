// The group of a skipped or failed item's reason, for the migration report: the reason with what
// differs from file to file (paths, names, times, counts) replaced by placeholders (`<path>`, `"…"`, `<time>`, `<id>`, `<n>`), so that a thousand
// "The source file no longer exists: /a/…" count as one reason. Computed when an item is recorded and
// stored beside it (migration_items.reason_group), so that the report groups with one SQL GROUP BY.

/** Group keys stay short enough to index and to show. */
const MAX_LENGTH = 300;

const TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
// A quoted file name; a quoted option value (`conflict: "skip"`) says why, so it stays.
const QUOTED = /(?<![a-z_]: )"[^"\n]*"/g;
// A path runs from a "/" that starts a word to the end, a ";", ")" or quote, a ", " or ": ", or a " ("
// that opens a remark ("/a/b.txt (conflict: …)"); a numbered copy's " (2)" belongs to its name.
const PATH = /(^|[\s(])\/(?:\s\(\d+\)|.)*?(?=\s\((?!\d+\))|[;)"]|[,:]\s|$)/g;
// Hashes and provider ids: long runs of letters and digits (with at least one digit).
const TOKEN = /(?<![\w/.<])(?=[\w+/=-]*\d)[\w+/=-]{16,}/g;
// Counts and sizes differ per file; HTTP statuses and error codes are the reason itself.
const NUMBER = /(?<!(?:HTTP|status|code|error) )(?<![\w.-])\d+(?![\w.-])/gi;

/** The reason with its per-file parts replaced by placeholders. */
export function reasonGroup(reason: string): string {
  const group = reason
    .replace(TIME, '<time>')
    .replace(QUOTED, '"…"')
    .replace(PATH, '$1<path>')
    .replace(TOKEN, '<id>')
    .replace(NUMBER, '<n>');
  return group.length > MAX_LENGTH ? `${group.slice(0, MAX_LENGTH - 1)}…` : group;
}
