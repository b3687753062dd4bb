// Deterministic benchmark data on local disk: the same options always give the same names, sizes and
// bytes. Bytes come from an AES-256-CTR keystream keyed by (seed, path): incompressible, and fast enough
// to write a gibibyte in seconds.
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { prng } from '../../emulators/common/seed';

const CHUNK = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

export interface TreeSummary {
  files: number;
  folders: number;
  bytes: number;
}

/** The bytes of `relPath` for `seed`, `size` long, as successive chunks. */
export function* contentChunks(seed: number, relPath: string, size: number): Generator<Buffer> {
  const key = createHash('sha256').update(`${seed}:${relPath}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  for (let left = size; left > 0; left -= CHUNK)
    yield cipher.update(ZEROS.subarray(0, Math.min(CHUNK, left)));
}

/** `files` files of minSize–maxSize bytes spread evenly over `folders` folders directly under `root`. */
export function writeSmallFiles(
  root: string,
  opts: { seed: number; files: number; folders: number; minSize: number; maxSize: number },
): TreeSummary {
  const rand = prng(opts.seed);
  let bytes = 0;
  const folderName = (i: number) => `folder-${String(i).padStart(2, '0')}`;
  for (let f = 0; f < opts.folders; f++) fs.mkdirSync(path.join(root, folderName(f)), { recursive: true });
  for (let i = 0; i < opts.files; i++) {
    const rel = `${folderName(i % opts.folders)}/file-${String(i).padStart(5, '0')}.bin`;
    const size = opts.minSize + Math.floor(rand() * (opts.maxSize - opts.minSize + 1));
    fs.writeFileSync(path.join(root, rel), Buffer.concat([...contentChunks(opts.seed, rel, size)]));
    bytes += size;
  }
  return { files: opts.files, folders: opts.folders, bytes };
}

/** One file of `size` bytes at `root/name`, streamed to disk chunk by chunk. */
export async function writeLargeFile(root: string, name: string, seed: number, size: number): Promise<void> {
  fs.mkdirSync(root, { recursive: true });
  const out = fs.createWriteStream(path.join(root, name));
  for (const chunk of contentChunks(seed, name, size)) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
}

/** Counts files and bytes under `root` and hashes them in path order: two equal digests, two equal trees. */
export async function digestTree(root: string): Promise<TreeSummary & { sha256: string }> {
  const hash = createHash('sha256');
  const summary = { files: 0, folders: 0, bytes: 0 };
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const relPath = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        summary.folders++;
        await walk(path.join(dir, e.name), relPath);
        continue;
      }
      summary.files++;
      hash.update(`${relPath}\0`);
      // Tiny files (benchmark 4 has a million) in one read: a stream would allocate a 4 MiB buffer each.
      const file = path.join(dir, e.name);
      if (fs.statSync(file).size < CHUNK) {
        const body = fs.readFileSync(file);
        summary.bytes += body.length;
        hash.update(body);
        continue;
      }
      for await (const chunk of fs.createReadStream(path.join(dir, e.name), { highWaterMark: CHUNK })) {
        summary.bytes += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
    }
  };
  await walk(root, '');
  return { ...summary, sha256: hash.digest('hex') };
}
