// Pure "/"-separated path helpers shared by workflow and activity code (no Node built-ins).

/** Joins an absolute base path and a relative or absolute-looking tail: ("/a", "b/c") → "/a/b/c". */
export function joinPath(base: string, tail: string): string {
  const parts = `${base}/${tail}`.split('/').filter(Boolean);
  return `/${parts.join('/')}`;
}

/** The path of `p` relative to the folder `root` ("" when equal); `p` must lie inside `root`. */
export function relativePath(root: string, p: string): string {
  const r = root === '/' ? '' : root.replace(/\/+$/, '');
  if (p === r || p === root) return '';
  if (!p.startsWith(`${r}/`)) throw new Error(`${p} is not inside ${root}`);
  return p.slice(r.length + 1);
}

/** True when `p` is `root` or lies below it. */
export function isWithin(root: string, p: string): boolean {
  const r = root.replace(/\/+$/, '');
  return r === '' || p === r || p.startsWith(`${r}/`);
}

export function baseName(p: string): string {
  const parts = p.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '';
}
