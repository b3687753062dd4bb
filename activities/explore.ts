// Lists the source ahead of the copies: takes folders from the top of the workflow's frontier, lists
// them page by page (depth first), creates the matching destination folders, and stops after about
// one page's worth of entries. One activity round trip thus covers many small folders, and the
// result stays small enough for a workflow payload.
import { Context } from '@temporalio/activity';
import { joinPath, relativePath } from '../common/paths';
import type { Connector } from '../connectors/types';
import type { FrontierEntry } from '../workflows/definitions';

export interface ExploreRequest {
  sourceRoot: string;
  destinationRoot: string;
  /** Folders to explore, as a stack (last = next); returned updated. */
  stack: FrontierEntry[];
  /** Stop once this many entries were listed. */
  maxEntries: number;
}

export interface ExploredFile {
  path: string;
  size: number;
  modifiedAt: string | null;
}

export interface ExploreResult {
  stack: FrontierEntry[];
  files: ExploredFile[];
  folders: number;
}

const MAX_PAGE = 1000;

export async function explore(
  source: Connector,
  destination: Connector,
  req: ExploreRequest,
): Promise<ExploreResult> {
  const stack = req.stack.map((e) => ({ ...e }));
  const files: ExploredFile[] = [];
  let folders = 0;
  let listed = 0;
  while (stack.length > 0 && listed < req.maxEntries) {
    const top = stack[stack.length - 1];
    const pageSize = Math.min(MAX_PAGE, Math.max(100, req.maxEntries - listed));
    const page = await source.list(top.path, { pageToken: top.pageToken, pageSize });
    if (page.nextPageToken) top.pageToken = page.nextPageToken;
    else stack.pop();
    listed += page.entries.length;

    const subfolders: string[] = [];
    for (const entry of page.entries) {
      const path = joinPath(top.path, entry.name);
      if (entry.type === 'folder') subfolders.push(path);
      else files.push({ path, size: entry.size ?? 0, modifiedAt: entry.modifiedAt });
    }
    for (const folder of subfolders) {
      await destination.mkdir(joinPath(req.destinationRoot, relativePath(req.sourceRoot, folder)));
    }
    folders += subfolders.length;
    // Reversed so the stack pops them in listing order.
    for (const folder of subfolders.reverse()) stack.push({ path: folder, pageToken: null });
    Context.current().heartbeat();
  }
  return { stack, files, folders };
}
