// Where one source entry lands at the destination, or why it does not: Google-native documents take
// their export format's extension (or are skipped), names the destination refuses fail or are encoded
// (invalid_names), paths over the destination's limit fail. Collisions between siblings are settled per
// folder in placement.ts. Folders and files are mapped alike so the tree stays whole.
import { joinPath, relativePath } from '../../common/paths';
import {
  encodeName,
  invalidNameReason,
  nameProblem,
  refusal,
  serviceDisplayName,
} from '../../connectors/names';
import { serviceDefinition } from '../../connectors/registry';
import type { FileEntry } from '../../connectors/types';
import type { FileTask, NamingRules } from '../../contract';

/** A name at the destination, with why it differs from the source's when it does. */
export type Placement = { name: string; note?: string } | { skip: string } | { fail: string };

const NOTHING_BELOW = 'Nothing in this folder was copied.';

/** The destination name of one entry of a source folder (at `folder` there), or the decision not to copy it. */
export function place(
  rules: NamingRules,
  entry: Pick<FileEntry, 'name' | 'type' | 'mimeType' | 'export'>,
  folder: string,
): Placement {
  let name = entry.name;
  let note: string | undefined;
  if (entry.type === 'file' && entry.export !== undefined) {
    if (rules.googleDocs === 'skip') {
      return { skip: 'Google Docs, Sheets and Slides are not copied (google_docs: "skip")' };
    }
    if (!entry.export) return { skip: `Google documents of type ${entry.mimeType} cannot be exported` };
    name = withExtension(name, entry.export.extension);
    if (name !== entry.name) note = `Exported as ${entry.export.extension.toUpperCase()}`;
  }
  const service = rules.destinationService;
  const atRoot = folder === '/';
  const problem = nameProblem(service, name, atRoot);
  if (problem) {
    if (rules.invalidNames !== 'encode') {
      const reason = invalidNameReason(service, name, problem);
      return { fail: entry.type === 'folder' ? `${reason} ${NOTHING_BELOW}` : reason };
    }
    const encoded = encodeName(service, name, atRoot);
    const left = nameProblem(service, encoded, atRoot);
    if (left) {
      return {
        fail: `${refusal(service, name, problem)}, even encoded: ${left}`,
      };
    }
    note = joinNotes(note, `${refusal(service, name, problem)} (${problem}): encoded`);
    name = encoded;
  }
  const tooLong = pathProblem(rules, joinPath(folder, name));
  if (tooLong) return { fail: entry.type === 'folder' ? `${tooLong} ${NOTHING_BELOW}` : tooLong };
  return note ? { name, note } : { name };
}

/** Why `path` is too long for the destination, or null (OneDrive: 400 characters). */
export function pathProblem(rules: NamingRules, path: string): string | null {
  const max = serviceDefinition(rules.destinationService).names?.maxPathLength;
  if (max === undefined || path.length <= max) return null;
  return (
    `${serviceDisplayName(rules.destinationService)} does not allow paths longer than ${max} characters ` +
    `(${path.length} at the destination: ${path})`
  );
}

export const joinNotes = (a: string | undefined, b: string): string => (a ? `${a}; ${b}` : b);

/** "Budget" → "Budget.xlsx"; a name that already ends so keeps it ("Budget.xlsx" stays). */
function withExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? name : `${name}.${extension}`;
}

/**
 * The destination path of a source folder by its source path alone (every name on its way mapped),
 * for callers that know no better: change-feed runs, and frontier entries from before destinations
 * were carried. Exploring carries each folder's destination as placed (duplicates renamed).
 */
export function destinationFolder(rules: NamingRules, sourceFolder: string): string {
  const segments = relativePath(rules.sourceRoot, sourceFolder).split('/').filter(Boolean);
  let at = rules.destinationRoot;
  for (const s of segments) {
    const name = rules.invalidNames === 'encode' ? encodeName(rules.destinationService, s, at === '/') : s;
    at = joinPath(at, name);
  }
  return at;
}

/** The copy task of one source file (or of a folder refused by name: one failure, nothing below). */
export function taskFor(
  rules: NamingRules,
  entry: FileEntry,
  sourcePath: string,
  destinationFolderPath: string,
  placed: Placement = place(rules, entry, destinationFolderPath),
  inheritedNote?: string,
): FileTask {
  const task: FileTask = {
    sourcePath,
    sourceId: entry.id,
    destinationPath: joinPath(destinationFolderPath, 'name' in placed ? placed.name : entry.name),
    size: entry.type === 'folder' ? 0 : entry.size,
    modifiedAt: entry.modifiedAt,
  };
  if ('skip' in placed) task.skip = placed.skip;
  if ('fail' in placed) task.fail = placed.fail;
  const note = 'name' in placed ? placed.note : undefined;
  if (note || inheritedNote)
    task.note = note && inheritedNote ? `${inheritedNote}; ${note}` : (note ?? inheritedNote);
  return task;
}
