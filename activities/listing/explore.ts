// Lists the source ahead of the copies: takes folders from the top of the workflow's frontier, lists
// them page by page (depth first), creates the matching destination folders, and stops after about
// one page's worth of entries. One activity round trip thus covers many small folders, and the
// result stays small enough for a workflow payload. Each file comes back as a copy task with its
// destination path (names mapped per the migration's options, see naming.ts) or the decision not to
// copy it; a folder whose name the destination refuses is not explored and comes back as one failed
// task, so the workflow counts it like a file. The include/exclude options decide which entries are
// looked at at all (common/path-filter.ts): a file left out is not discovered, a folder left out is
// neither listed nor created. A dry run lists only: it creates no folder.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { GlobError } from '../../common/globs';
import { PathFilter } from '../../common/path-filter';
import { joinPath, relativePath } from '../../common/paths';
import type { Connector } from '../../connectors/types';
import { entryBytes, pageSizeFor, RESULT_BUDGET_BYTES } from './budget';
import { destinationFolder, place, taskFor } from './naming';
import {
  type FileTask,
  type ExploreRequest,
  type ExploreResult,
  FAILURE_TYPES,
  type MigrationOptions,
} from '../../contract';

const MAX_PAGE = 1000;

export async function explore(
  source: Connector,
  destination: Connector,
  req: ExploreRequest,
): Promise<ExploreResult> {
  const { rules } = req;
  const filter = filterOf(req.options);
  const stack = req.stack.map((e) => ({ ...e }));
  const files: FileTask[] = [];
  let folders = 0;
  let listed = 0;
  let bytes = 0;
  while (stack.length > 0 && listed < req.maxEntries && bytes < RESULT_BUDGET_BYTES) {
    const top = stack[stack.length - 1];
    const pageSize = pageSizeFor(top.path, Math.min(MAX_PAGE, Math.max(100, req.maxEntries - listed)));
    const page = await source.list(top.path, { pageToken: top.pageToken, pageSize });
    if (page.nextPageToken) top.pageToken = page.nextPageToken;
    else stack.pop();
    listed += page.entries.length;
    bytes += page.entries.reduce((n, e) => n + entryBytes(top.path, e.name), 0);

    const here = destinationFolder(rules, top.path);
    const scope = filter.within(relativePath(rules.sourceRoot, top.path));
    const subfolders: string[] = [];
    for (const entry of page.entries) {
      if (!(entry.type === 'folder' ? scope.folder(entry.name) : scope.file(entry.name))) continue;
      const path = joinPath(top.path, entry.name);
      const placed = place(rules, entry);
      if (entry.type === 'folder' && 'name' in placed) {
        if (!req.options.dryRun) await destination.mkdir(joinPath(here, placed.name));
        subfolders.push(path);
      } else {
        files.push(taskFor(rules, entry, path, here, placed));
      }
    }
    folders += subfolders.length;
    // Reversed so the stack pops them in listing order.
    for (const folder of subfolders.reverse()) stack.push({ path: folder, pageToken: null });
    Context.current().heartbeat();
  }
  return { stack, files, folders };
}

/** The request's include/exclude filter; a refused pattern (the API validates them) fails for good. */
export function filterOf(options: Pick<MigrationOptions, 'include' | 'exclude'>): PathFilter {
  try {
    return new PathFilter(options.include, options.exclude);
  } catch (err) {
    if (!(err instanceof GlobError)) throw err;
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidPattern,
      message: err.message,
      nonRetryable: true,
    });
  }
}
