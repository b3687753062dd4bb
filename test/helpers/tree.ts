// Builds source trees on disk and compares two trees byte for byte.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface TreeSpec {
  folders: number;
  filesPerFolder: number;
  depth: number;
  minBytes?: number;
  maxBytes?: number;
}

const NAMES = ['report', 'Photo 2024', 'résumé', 'データ', 'notes & ideas', 'a+b=c'];

/** Writes a nested tree under `root` and returns the number of files and bytes written. */
export function writeTree(root: string, spec: TreeSpec): { files: number; bytes: number; folders: number } {
  let files = 0;
  let bytes = 0;
  let folders = 0;
  const min = spec.minBytes ?? 0;
  const max = spec.maxBytes ?? 4096;
  for (let f = 0; f < spec.folders; f++) {
    const segments = Array.from({ length: 1 + (f % spec.depth) }, (_, d) => `dir ${d}-${f % (d + 2)}`);
    const dir = path.join(root, ...segments, `${NAMES[f % NAMES.length]} ${f}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < spec.filesPerFolder; i++) {
      const size = min + Math.floor(Math.random() * (max - min + 1));
      fs.writeFileSync(path.join(dir, `${NAMES[i % NAMES.length]}-${i}.bin`), randomBytes(size));
      files++;
      bytes += size;
    }
  }
  for (const _ of walk(root)) if (_.type === 'folder') folders++;
  return { files, bytes, folders };
}

/** Writes a file of `size` random bytes in chunks, never holding it whole. */
export async function writeLargeFile(file: string, size: number): Promise<void> {
  const chunk = 1024 * 1024;
  async function* gen() {
    for (let left = size; left > 0; left -= chunk) yield randomBytes(Math.min(chunk, left));
  }
  await pipeline(gen, fs.createWriteStream(file));
}

export function* walk(root: string, rel = ''): Generator<{ rel: string; type: 'file' | 'folder' }> {
  for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) {
      yield { rel: r, type: 'folder' };
      yield* walk(root, r);
    } else yield { rel: r, type: 'file' };
  }
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

/** Map of relative path → sha256 (files) or "folder". */
export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of walk(root)) {
    out.set(e.rel, e.type === 'folder' ? 'folder' : await sha256File(path.join(root, e.rel)));
  }
  return out;
}
