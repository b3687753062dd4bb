// The naming stage: one page of a source folder placed at the destination. Each entry gets its name
// there (naming.ts), then collisions between siblings are settled so that no two source entries ever
// land on one destination name: two files of one name in a Drive folder, names that differ only by case
// at a case-insensitive destination, a name that only encoding or an export extension made equal to
// another. Names compare in Unicode NFC (macOS writes NFD). In each group of colliding entries the
// oldest (creation time, then id) keeps the name and the others become "name (2).ext", "name (3).ext"…
// — the same on every run and every retry. A folder listed in one page is settled in memory; a folder
// whose listing spans pages records its names in the store, so later pages (and retries) see them.
import type { FileEntry } from '../../connectors/types';
import type { NamingRules } from '../../contract';
import type { MigrationNamesRepo, NameClaim } from '../../store/names';
import { joinNotes, pathProblem, place, type Placement } from './naming';
import { joinPath } from '../../common/paths';

/** The names already held in one destination folder (its earlier pages), and a way to hold more. */
export interface FolderClaims {
  holders(keys: string[]): Promise<Map<string, string>>;
  claim(claims: NameClaim[]): Promise<void>;
}

/** The claims of one destination folder of a migration, in the store. */
export const folderClaims = (
  names: MigrationNamesRepo,
  accountId: string,
  migrationId: string,
  folder: string,
): FolderClaims => ({
  holders: (keys) => names.holders(accountId, migrationId, folder, keys),
  claim: (claims) => names.claim(accountId, migrationId, folder, claims),
});

/** Where a page's names are kept when its folder spans pages (undefined: placed in memory). */
export type ClaimsFor = (folder: string) => FolderClaims | undefined;

/** A migration's claims, by destination folder (none without a migration id: an older request). */
export const claimsOf =
  (names: MigrationNamesRepo, accountId: string, migrationId: string | undefined): ClaimsFor =>
  (folder) =>
    migrationId ? folderClaims(names, accountId, migrationId, folder) : undefined;

export interface PlacedEntry {
  entry: FileEntry;
  placement: Placement;
}

/** How the destination compares names: NFC, and without case where it ignores case. */
export const nameKey = (name: string, caseInsensitive: boolean): string => {
  const nfc = name.normalize('NFC');
  return caseInsensitive ? nfc.toLowerCase() : nfc;
};

/** "report.pdf" → "report (2).pdf"; "README" → "README (2)"; ".bashrc" → ".bashrc (2)". */
export function numbered(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

const identity = (e: FileEntry) => e.id || e.path;
const older = (a: FileEntry, b: FileEntry) =>
  (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || identity(a).localeCompare(identity(b));

/**
 * Places `entries` (one page of a source folder, in listing order) in the destination folder `folder`.
 * Without `claims` the page must be the whole folder.
 */
export async function placePage(
  rules: NamingRules,
  caseInsensitive: boolean,
  folder: string,
  entries: FileEntry[],
  claims?: FolderClaims,
): Promise<PlacedEntry[]> {
  const placed: PlacedEntry[] = entries.map((entry) => ({ entry, placement: place(rules, entry, folder) }));
  const key = (name: string) => nameKey(name, caseInsensitive);
  const groups = new Map<string, PlacedEntry[]>();
  for (const p of placed) {
    if (!('name' in p.placement)) continue;
    const k = key(p.placement.name);
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const taken = claims ? await claims.holders([...groups.keys()]) : new Map<string, string>();
  const held = (k: string, p: PlacedEntry) => taken.get(k) === identity(p.entry);

  // Every base name first, so that no renamed entry takes a name a later sibling has of its own. The
  // oldest keeps it, unless a member already holds it (a retry) or an earlier page gave it to another.
  const renamed: { p: PlacedEntry; why: string }[] = [];
  for (const [k, group] of groups) {
    group.sort((a, b) => older(a.entry, b.entry));
    const keeper = taken.has(k) ? group.find((p) => held(k, p)) : group[0];
    if (keeper && !taken.has(k)) taken.set(k, identity(keeper.entry));
    const kept = keeper && (keeper.placement as { name: string }).name;
    for (const p of group) if (p !== keeper) renamed.push({ p, why: clash(kept, p) });
  }
  for (const { p, why } of renamed) {
    p.placement = await renamedPlacement(rules, key, folder, p, why, taken, claims);
  }

  if (claims) {
    const mine = [...taken].filter(([, id]) => placed.some((p) => identity(p.entry) === id));
    await claims.claim(mine.map(([k, sourceId]) => ({ key: k, sourceId })));
  }
  return placed;
}

/** Why `p` cannot have its name: `kept` is the name of the entry that keeps it, when on this page. */
function clash(kept: string | undefined, p: PlacedEntry): string {
  const { name } = p.placement as { name: string };
  if (kept === undefined)
    return `an entry listed earlier in this folder has the name "${name}" at the destination`;
  if (kept === name) return `another entry in this folder has the name "${name}"`;
  if (kept.normalize('NFC') === name.normalize('NFC'))
    return `another entry in this folder is named "${kept}" in another Unicode form, the same name at the destination`;
  return `another entry in this folder is named "${kept}", the same name at the destination (it does not tell upper from lower case)`;
}

/** The first "name (n)" free in the folder (or held by this entry from an earlier try), as a placement. */
async function renamedPlacement(
  rules: NamingRules,
  key: (name: string) => string,
  folder: string,
  p: PlacedEntry,
  why: string,
  taken: Map<string, string>,
  claims?: FolderClaims,
): Promise<Placement> {
  const { name, note } = p.placement as { name: string; note?: string };
  const id = identity(p.entry);
  for (let n = 2; ; n++) {
    const candidate = numbered(name, n);
    const k = key(candidate);
    if (claims && !taken.has(k)) {
      const holder = (await claims.holders([k])).get(k);
      if (holder) taken.set(k, holder);
    }
    if (taken.has(k) && taken.get(k) !== id) continue;
    taken.set(k, id);
    const tooLong = pathProblem(rules, joinPath(folder, candidate));
    if (tooLong) return { fail: tooLong };
    return {
      name: candidate,
      note: joinNotes(note, `${why}: renamed "${candidate}"`),
    };
  }
}
