// list_folder cursors: the folder, options, the change-log position the listing started at, and how
// far the listing got (or -1 once it is reading changes). Opaque to clients, like Dropbox's.
export interface CursorState {
  /** Folder, lower-cased; "" is the root. */
  p: string;
  r: boolean;
  l: number;
  /** Change-log sequence number the cursor is at. */
  s: number;
  /** Offset into the listing, or -1 when following changes. */
  o: number;
}

export const encodeCursor = (c: CursorState): string =>
  `AAE${Buffer.from(JSON.stringify(c)).toString('base64url')}`;

export function decodeCursor(raw: unknown): CursorState | null {
  if (typeof raw !== 'string' || !raw.startsWith('AAE')) return null;
  try {
    const c = JSON.parse(Buffer.from(raw.slice(3), 'base64url').toString('utf8')) as CursorState;
    return typeof c.p === 'string' && typeof c.s === 'number' && typeof c.o === 'number' ? c : null;
  } catch {
    return null;
  }
}
