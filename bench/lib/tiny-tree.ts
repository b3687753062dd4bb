// A synthetic tree of many tiny files (benchmark 4): `parts` folders under the root, each with
// `foldersPerPart` folders of `filesPerFolder` files of a few bytes. The first part is written file by
// file; the others are `cp -r` copies of it (real files with their own inodes, the same bytes), which is
// several times faster on a small VM's disk than writing each file from Node.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TreeSummary } from './data';

export interface TinyTreeSpec {
  parts: number;
  foldersPerPart: number;
  filesPerFolder: number;
}

export const partName = (p: number) => `part-${p}`;

export function writeTinyTree(
  root: string,
  spec: TinyTreeSpec,
): TreeSummary & { writtenMs: number; copiedMs: number } {
  const t0 = Date.now();
  const first = path.join(root, partName(0));
  let bytes = 0;
  for (let d = 0; d < spec.foldersPerPart; d++) {
    const folder = `folder-${String(d).padStart(5, '0')}`;
    fs.mkdirSync(path.join(first, folder), { recursive: true });
    for (let f = 0; f < spec.filesPerFolder; f++) {
      const body = `${folder}/file-${f}\n`;
      fs.writeFileSync(path.join(first, folder, `file-${f}.txt`), body);
      bytes += body.length;
    }
  }
  const t1 = Date.now();
  for (let p = 1; p < spec.parts; p++) execFileSync('cp', ['-r', first, path.join(root, partName(p))]);
  execFileSync('sync');
  return {
    files: spec.parts * spec.foldersPerPart * spec.filesPerFolder,
    folders: spec.parts * (spec.foldersPerPart + 1),
    bytes: bytes * spec.parts,
    writtenMs: t1 - t0,
    copiedMs: Date.now() - t1,
  };
}

/** Files and folders under `root`, counted without reading a byte. */
export function countTree(root: string): { files: number; folders: number } {
  const out = { files: 0, folders: 0 };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        out.folders++;
        walk(path.join(dir, e.name));
      } else out.files++;
    }
  };
  walk(root);
  return out;
}
