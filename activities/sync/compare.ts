// A sync's full comparison: is the destination's file already this source file? Same size and the
// same modification time to the second (copies carry the source's time where the destination can
// keep one; Dropbox keeps no fractions), or the same hash where both report one in one algorithm. A
// destination that cannot take the source's time (OneDrive, or preserve_modified_time off) counts a
// file of the same size written at or after the source's time as that file. Google Docs have no size
// before export: their time decides.
import type { FileEntry } from '../../connectors/types';

export interface CompareRules {
  /** The destination's files carry the source's modification time (setModifiedTime and preserved). */
  timesCarried: boolean;
}

const seconds = (iso: string | null): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

export function unchanged(
  source: Pick<FileEntry, 'size' | 'modifiedAt' | 'checksum'>,
  destination: Pick<FileEntry, 'type' | 'size' | 'modifiedAt' | 'checksum'> | undefined,
  rules: CompareRules,
): boolean {
  if (!destination || destination.type !== 'file') return false;
  if (source.size !== null && destination.size !== source.size) return false;
  const a = source.checksum;
  const b = destination.checksum;
  if (a && b && a.algorithm === b.algorithm) {
    return a.algorithm === 'quickxor' ? a.value === b.value : a.value.toLowerCase() === b.value.toLowerCase();
  }
  const from = seconds(source.modifiedAt);
  const to = seconds(destination.modifiedAt);
  if (from === null || to === null) return false;
  return rules.timesCarried ? from === to : to >= from;
}
