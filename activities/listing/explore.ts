// Lists the source ahead of the copies: takes folders from the top of the workflow's frontier, lists
// them page by page (depth first), creates the matching destination folders, and stops after about
// one page's worth of entries. One activity round trip thus covers many small folders, and the
// result stays small enough for a workflow payload. Each file comes back as a copy task with its
// destination path (names placed per the destination's rules and collisions settled, see placement.ts)
// or the decision not to copy it; a folder the destination refuses or cannot create, or that cannot be
// listed, fails on its own (subtree.ts) and the rest goes on. The include/exclude options decide which entries are
// looked at at all (common/path-filter.ts): a file left out is not discovered, a folder left out is
// neither listed nor created. A dry run lists only: it creates no folder. Each destination folder is
// listed once (destination.ts) so that copies know what is at their names without looking each up.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { GlobError } from '../../common/globs';
import { type FolderScope, PathFilter } from '../../common/path-filter';
import { joinPath, relativePath } from '../../common/paths';
import type { Connector } from '../../connectors/types';
import { entryBytes, pageSizeFor, RESULT_BUDGET_BYTES, RESULT_LIMIT_BYTES } from './budget';
import { DestinationFolders, foundAt } from './destination';
import { destinationFolder, taskFor } from './naming';
import { placePage, type ClaimsFor } from './placement';
import { keptEntries } from './pacing';
import { PagePrefetch } from './prefetch';
import { failedFolder, failPage, isLocalFailure, unlistedFolder } from './subtree';
import {
  type FileTask,
  type FrontierEntry,
  type ExploreRequest,
  type ExploreResult,
  FAILURE_TYPES,
  type MigrationOptions,
} from '../../contract';

const MAX_PAGE = 1000;
/** Pages one exploration has in flight when others run beside it. */
const PAGES_IN_FLIGHT = 8;

export async function explore(
  source: Connector,
  destination: Connector,
  req: ExploreRequest,
  claimsFor: ClaimsFor = () => undefined,
): Promise<ExploreResult> {
  const { rules } = req;
  const filter = filterOf(req.options);
  const stack = req.stack.map((e) => ({ ...e }));
  const files: FileTask[] = [];
  let folders = 0;
  let listed = 0;
  let bytes = 0;
  // A dry run creates and copies nothing, so it need not know what the destination holds.
  const seen = req.options.dryRun ? null : new DestinationFolders(destination);
  const inTime = timeLeft(req.maxMillis);
  const more = () => listed < req.maxEntries && bytes < RESULT_BUDGET_BYTES && inTime();
  // Beside other explorations (maxMillis given), a few pages in flight at once (prefetch.ts).
  const pages = new PagePrefetch(source, req.maxMillis === undefined ? 1 : PAGES_IN_FLIGHT);
  const sizeOf = (e: FrontierEntry) =>
    pageSizeFor(e.path, Math.min(MAX_PAGE, Math.max(100, req.maxEntries - listed)));
  while (stack.length > 0) {
    // Past its limits, an exploration still takes in the pages it asked ahead for, then ends.
    const draining = !more();
    if (draining && !pages.raise(stack)) break;
    const top = stack[stack.length - 1];
    const firstPage = top.pageToken === null;
    const here = top.destination ?? destinationFolder(rules, top.path);
    let page;
    try {
      const asked = pages.list(top, sizeOf(top));
      if (more()) pages.fill(stack, sizeOf);
      page = await asked;
    } catch (err) {
      // Below the root, a folder that cannot be listed fails alone (subtree.ts); the root fails the run.
      if (top.path === rules.sourceRoot || !isLocalFailure(err)) throw err;
      stack.pop();
      files.push(unlistedFolder(top, here, err));
      continue;
    }
    const pageBytes = page.entries.reduce((n, e) => n + entryBytes(top.path, e.name), 0);
    // A page asked ahead that would take the result past what Temporal accepts is left to the next
    // exploration (its folder stays on the stack): one request lost, only with very long names.
    if (draining && bytes + pageBytes > RESULT_LIMIT_BYTES) continue;
    if (page.nextPageToken) top.pageToken = page.nextPageToken;
    else stack.pop();
    listed += page.entries.length;
    bytes += pageBytes;

    const scope = filter.within(relativePath(rules.sourceRoot, top.path));
    const kept = await keptEntries(page.entries, (e) =>
      e.type === 'folder' ? scope.folder(e.name) : scope.file(e.name),
    );
    if (top.fail) {
      const failed = failPage(top, here, kept);
      files.push(...failed.files);
      stack.push(...failed.folders.reverse());
      continue;
    }
    const wholeFolder = firstPage && !page.nextPageToken;
    const placed = await placePage(
      rules,
      destination.features.caseInsensitive,
      here,
      kept,
      wholeFolder ? undefined : claimsFor(here),
    );
    const subfolders: FrontierEntry[] = [];
    // What the destination folder holds, for the names placed in it (destination.ts).
    const there = seen && placed.some((p) => 'name' in p.placement) ? await seen.contents(here) : null;
    for (const { entry, placement } of placed) {
      const path = joinPath(top.path, entry.name);
      if (entry.type !== 'folder') {
        const task = taskFor(rules, entry, path, here, placement, top.note);
        if ('name' in placement && seen) {
          const found = foundAt(there, seen.key(placement.name), placement.name);
          if (found !== undefined) task.found = found;
          // Only where the destination writes by it: the id costs history bytes on every task.
          const folderId = destination.features.folderIds ? seen.idOf(here) : undefined;
          if (folderId) task.destinationFolderId = folderId;
        }
        files.push(task);
        continue;
      }
      if (!('name' in placement)) {
        // A folder refused by name or path: listed only to fail its files (subtree.ts).
        if ('fail' in placement)
          subfolders.push(failedFolder(entry, path, joinPath(here, entry.name), placement.fail));
        continue;
      }
      const at = joinPath(here, placement.name);
      // Made (or found already there) at the destination; a dry run makes nothing.
      const held = there ? (there.get(seen!.key(placement.name)) ?? null) : undefined;
      const refused = seen ? await seen.folder(at, held) : null;
      const note = placement.note ? `folder ${at}: ${placement.note}` : top.note;
      subfolders.push(
        refused
          ? failedFolder(entry, path, at, refused)
          : { path, id: entry.id, pageToken: null, destination: at, ...(note ? { note } : {}) },
      );
    }
    folders += subfolders.length;
    // Reversed so the stack pops them in listing order.
    stack.push(...subfolders.reverse());
    Context.current().heartbeat();
  }
  return { stack, files, folders };
}

/** True at the first call (one page is always listed), then until `ms` have passed since it. */
function timeLeft(ms: number | undefined): () => boolean {
  let endsAt: number | undefined;
  return () => {
    if (ms === undefined) return true;
    const now = Date.now();
    endsAt ??= now + ms;
    return now < endsAt;
  };
}

/** The include/exclude decisions exploring takes (common/path-filter.ts). */
export interface Filter {
  readonly active: boolean;
  within(folder: string): FolderScope;
}

/**
 * The request's include/exclude filter. A refused pattern (the API validates them), or a decision
 * past its matching budget, fails for good: every attempt would refuse it the same way.
 */
export function filterOf(options: Pick<MigrationOptions, 'include' | 'exclude'>): Filter {
  const filter = forGood(() => new PathFilter(options.include, options.exclude));
  return {
    active: filter.active,
    within(folder) {
      const scope = forGood(() => filter.within(folder));
      return {
        file: (name) => forGood(() => scope.file(name)),
        folder: (name) => forGood(() => scope.folder(name)),
      };
    },
  };
}

function forGood<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof GlobError)) throw err;
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidPattern,
      message: err.message,
      nonRetryable: true,
    });
  }
}
