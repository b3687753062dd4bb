// Numbers and times as people read them.
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Percent done of a migration: files settled out of files found (0 until something is found). */
export function percent(
  p: {
    files_discovered: number;
    files_copied: number;
    files_skipped: number;
    files_failed: number;
    listing_complete: boolean;
  },
  status: string,
): number {
  if (status === 'completed' || status === 'completed_with_errors') return 100;
  if (!p.files_discovered) return 0;
  const done = p.files_copied + p.files_skipped + p.files_failed;
  const pct = Math.floor((done / p.files_discovered) * 100);
  // Not 100 % while still listing: more files may come.
  return p.listing_complete ? Math.min(100, pct) : Math.min(99, pct);
}
