// Where a source entry lands at the destination, or why it does not: Google-native documents take
// their export format's extension (or are skipped), and names the destination refuses fail or are
// encoded, per the migration's options. Folders and files are mapped alike so the tree stays whole.
import { joinPath, relativePath } from '../../common/paths';
import { encodeName, invalidNameReason, nameProblem, serviceDisplayName } from '../../connectors/names';
import type { FileEntry } from '../../connectors/types';
import type { FileTask, NamingRules } from '../../contract';

export type Placement = { name: string } | { skip: string } | { fail: string };

/** The destination name of one entry of a source folder, or the decision not to copy it. */
export function place(
  rules: NamingRules,
  entry: Pick<FileEntry, 'name' | 'type' | 'mimeType' | 'export'>,
): Placement {
  let name = entry.name;
  if (entry.type === 'file' && entry.export !== undefined) {
    if (rules.googleDocs === 'skip') {
      return { skip: 'Google Docs, Sheets and Slides are not copied (google_docs: "skip")' };
    }
    if (!entry.export) return { skip: `Google documents of type ${entry.mimeType} cannot be exported` };
    name = withExtension(name, entry.export.extension);
  }
  const service = rules.destinationService;
  const problem = nameProblem(service, name);
  if (!problem) return { name };
  if (rules.invalidNames === 'encode') {
    const encoded = encodeName(service, name);
    const left = nameProblem(service, encoded);
    if (!left) return { name: encoded };
    return {
      fail: `${serviceDisplayName(service)} does not allow the name "${name}", even encoded: ${left}`,
    };
  }
  const reason = invalidNameReason(service, name, problem);
  return { fail: entry.type === 'folder' ? `${reason} Nothing in this folder was copied.` : reason };
}

/** "Budget" → "Budget.xlsx"; a name that already ends so keeps it ("Budget.xlsx" stays). */
function withExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? name : `${name}.${extension}`;
}

/** The destination name of a name that was placed (no export there: folders, or path segments). */
const mapName = (rules: NamingRules, name: string): string =>
  rules.invalidNames === 'encode' ? encodeName(rules.destinationService, name) : name;

/** The destination path of a source folder the exploration reached (every name on its way placed). */
export function destinationFolder(rules: NamingRules, sourceFolder: string): string {
  const segments = relativePath(rules.sourceRoot, sourceFolder).split('/').filter(Boolean);
  return joinPath(rules.destinationRoot, segments.map((s) => mapName(rules, s)).join('/'));
}

/** The copy task of one source file (or of a folder refused by name: one failure, nothing below). */
export function taskFor(
  rules: NamingRules,
  entry: FileEntry,
  sourcePath: string,
  destinationFolderPath: string,
  placed: Placement = place(rules, entry),
): FileTask {
  const task: FileTask = {
    sourcePath,
    destinationPath: joinPath(destinationFolderPath, 'name' in placed ? placed.name : entry.name),
    size: entry.type === 'folder' ? 0 : entry.size,
    modifiedAt: entry.modifiedAt,
  };
  if ('skip' in placed) task.skip = placed.skip;
  if ('fail' in placed) task.fail = placed.fail;
  return task;
}
