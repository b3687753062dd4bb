// A deterministic generator of sample trees: the same seed gives the same folders, names, sizes and
// bytes, so tests and benchmarks can check what arrived without storing a copy.
import { createHash } from 'node:crypto';

export interface SeedOptions {
  seed?: number;
  files: number;
  /** Folders to spread the files over (besides the root). */
  folders?: number;
  maxDepth?: number;
  minSize?: number;
  maxSize?: number;
  /** Include names with spaces, Unicode and characters some providers forbid (" * : < > ? | \). */
  awkwardNames?: boolean;
  /** Seed exactly these entries (folders before their contents) instead of generating a tree: the demo
   *  mode's hand-shaped samples. The other options are then ignored. */
  tree?: SeedEntry[];
}

export interface SeedEntry {
  path: string;
  type: 'file' | 'folder';
  size: number;
  modifiedAt: string;
}

/** mulberry32: tiny, fast and good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN = ['report', 'photo', 'notes', 'invoice', 'draft', 'backup', 'data', 'music'];
const AWKWARD = [
  'Résumé final',
  'データ 2024',
  'a b  c',
  'what?',
  'x:y',
  'star*',
  'back\\slash',
  'emoji 🎉',
  'Ünïcödé',
];
const EXTENSIONS = ['.txt', '.pdf', '.jpg', '.docx', '.bin', '.csv'];

/** Folders first (parents before children), then files; paths are unique case-insensitively. */
export function generateTree(opts: SeedOptions): SeedEntry[] {
  if (opts.tree) return opts.tree;
  const rand = prng(opts.seed ?? 1);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const names = (i: number) => {
    const base = opts.awkwardNames && rand() < 0.3 ? pick(AWKWARD) : pick(PLAIN);
    return `${base} ${i}`;
  };
  const time = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
  const folders: string[] = ['/'];
  const entries: SeedEntry[] = [];
  const maxDepth = opts.maxDepth ?? 3;
  for (let i = 0; i < (opts.folders ?? 0); i++) {
    const candidates = folders.filter((f) => f.split('/').filter(Boolean).length < maxDepth);
    const parent = pick(candidates);
    const path = `${parent === '/' ? '' : parent}/${names(i)}`;
    folders.push(path);
    entries.push({ path, type: 'folder', size: 0, modifiedAt: time(i) });
  }
  const min = opts.minSize ?? 0;
  const max = opts.maxSize ?? 64 * 1024;
  for (let i = 0; i < opts.files; i++) {
    const parent = pick(folders);
    const path = `${parent === '/' ? '' : parent}/${names(i)}${pick(EXTENSIONS)}`;
    entries.push({
      path,
      type: 'file',
      size: min + Math.floor(rand() * (max - min + 1)),
      modifiedAt: time(i),
    });
  }
  return entries;
}

/** The bytes of a seeded file: derived from its path, so they can be regenerated for comparison. */
export function seedContent(path: string, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let block = createHash('sha256').update(path).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off, 0, Math.min(block.length, size - off));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
