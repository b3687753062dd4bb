// Paged listings of the local connector: exact order, resumable tokens, what is shown and what is skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../../common/errors';
import { createLocalConnector } from '../../connectors';
import type { Connector, FileEntry, ListOptions } from '../../connectors/types';
import { expectKind, makeSandbox, type Sandbox } from './local-helpers';

let box: Sandbox;
let conn: Connector;

beforeEach(() => {
  box = makeSandbox('mc-list-');
  conn = createLocalConnector(box.root, [box.allowed]);
});
afterEach(() => box.cleanup());

// Names whose UTF-16 order differs from naive expectations: uppercase before lowercase, and an astral
// character (surrogates 0xD83D…) before U+FF5E even though its code point is larger.
const ODD_NAMES = ['B', 'a', 'Z z', 'é', '日本', '😀', '～', ' lead'];

/** Three levels, 477 entries plus ODD_NAMES files at the top. */
function buildTree(root: string): void {
  for (const odd of ODD_NAMES) fs.writeFileSync(path.join(root, odd), odd);
  for (let i = 0; i < 8; i++) {
    const l1 = path.join(root, `dir ${i}`);
    fs.mkdirSync(l1);
    for (let f = 0; f < 5 - (i % 2); f++) fs.writeFileSync(path.join(l1, `file-${f}.txt`), 'x'.repeat(f));
    for (let j = 0; j < 6; j++) {
      const l2 = path.join(l1, `sub-${j}`);
      fs.mkdirSync(l2);
      for (let k = 0; k < 8; k++) fs.writeFileSync(path.join(l2, `leaf ${k}.bin`), Buffer.alloc(k));
    }
  }
  fs.mkdirSync(path.join(root, 'empty folder'));
}

/** The expected order, computed independently: pre-order walk, names sorted by UTF-16 code units. */
function fullWalk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = `${prefix}/${name}`;
    out.push(p);
    if (fs.lstatSync(path.join(dir, name)).isDirectory()) out.push(...fullWalk(path.join(dir, name), p));
  }
  return out;
}

async function allPages(c: Connector, p: string, options: ListOptions): Promise<{ pages: FileEntry[][] }> {
  const pages: FileEntry[][] = [];
  let pageToken: string | null = options.pageToken ?? null;
  do {
    const page = await c.list(p, { ...options, pageToken });
    pages.push(page.entries);
    pageToken = page.nextPageToken;
    expect(pages.length).toBeLessThan(1000);
  } while (pageToken);
  return { pages };
}

describe('recursive listing', () => {
  it('pages through a three-level tree in exact pre-order, with no gaps or duplicates', async () => {
    buildTree(box.root);
    const expected = fullWalk(box.root);
    expect(expected.length).toBeGreaterThan(480);
    const { pages } = await allPages(conn, '/', { recursive: true, pageSize: 7 });
    const paths = pages.flat().map((e) => e.path);
    expect(paths).toEqual(expected);
    expect(new Set(paths).size).toBe(paths.length);
    // Every page is full except possibly the last, and the last is not an empty extra page.
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(pages[pages.length - 1].length).toBeGreaterThan(0);
    expect(pages.length).toBe(Math.ceil(expected.length / 7));
    // Folders come before their descendants; UTF-16 order puts 😀 before ～.
    expect(paths.indexOf('/dir 3')).toBeLessThan(paths.indexOf('/dir 3/sub-0'));
    expect(paths.indexOf('/dir 3/sub-0')).toBeLessThan(paths.indexOf('/dir 3/sub-0/leaf 0.bin'));
    expect(paths.indexOf('/😀')).toBeLessThan(paths.indexOf('/～'));
    expect(paths.slice(0, 3)).toEqual(['/ lead', '/B', '/Z z']);
  });

  it('lists a subfolder recursively with paths from the connection root', async () => {
    buildTree(box.root);
    const { pages } = await allPages(conn, '/dir 2', { recursive: true, pageSize: 1000 });
    expect(pages).toHaveLength(1);
    expect(pages[0].map((e) => e.path)).toEqual(fullWalk(path.join(box.root, 'dir 2'), '/dir 2'));
    const leaf = pages[0].find((e) => e.path === '/dir 2/sub-1/leaf 5.bin');
    expect(leaf).toMatchObject({ id: '/dir 2/sub-1/leaf 5.bin', name: 'leaf 5.bin', type: 'file', size: 5 });
  });

  it('resumes by descending along the token, not by re-walking what came before', async () => {
    buildTree(box.root);
    const first = await conn.list('/', { recursive: true, pageSize: 400 });
    // Through the thread pool or synchronously, depending on the file system (fs-calls.ts).
    const spies = [jest.spyOn(fs.promises, 'readdir'), jest.spyOn(fs, 'readdirSync')];
    const readdirs = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);
    try {
      const next = await conn.list('/', { recursive: true, pageSize: 1, pageToken: first.nextPageToken });
      expect(next.entries).toHaveLength(1);
      // One readdir per level on the way down to the resume point (plus the peek), far below the 57 folders.
      expect(readdirs()).toBeGreaterThanOrEqual(3);
      expect(readdirs()).toBeLessThanOrEqual(5);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });

  it('carries on correctly when the last emitted entry is deleted between pages', async () => {
    buildTree(box.root);
    const expected = fullWalk(box.root);
    const first = await conn.list('/', { recursive: true, pageSize: 20 });
    const last = first.entries[first.entries.length - 1].path;
    expect(last).toBe('/dir 0/sub-1'); // a folder: its unlisted descendants vanish with it
    fs.rmSync(path.join(box.root, last), { recursive: true });
    const rest = await allPages(conn, '/', { recursive: true, pageSize: 50, pageToken: first.nextPageToken });
    const remaining = expected.slice(20).filter((p) => !p.startsWith(`${last}/`));
    expect(rest.pages.flat().map((e) => e.path)).toEqual(remaining);
  });
});

describe('listing one folder', () => {
  it('pages the direct children in code-unit order', async () => {
    buildTree(box.root);
    const { pages } = await allPages(conn, '/', { pageSize: 3 });
    expect(pages.flat().map((e) => e.name)).toEqual(fs.readdirSync(box.root).sort());
    expect(pages.flat().find((e) => e.name === 'dir 0')).toMatchObject({
      type: 'folder',
      size: null,
      path: '/dir 0',
    });
  });

  it('answers an empty folder with one empty, final page', async () => {
    expect(await conn.list('/')).toEqual({ entries: [], nextPageToken: null });
  });

  it('refuses files, missing folders, bad page sizes and foreign or malformed tokens', async () => {
    fs.writeFileSync(path.join(box.root, 'f.txt'), 'x');
    fs.mkdirSync(path.join(box.root, 'a'));
    fs.mkdirSync(path.join(box.root, 'b'));
    await expectKind(conn.list('/f.txt'), 'wrong_type');
    await expectKind(conn.list('/missing'), 'not_found');
    const page = await conn.list('/', { pageSize: 1 });
    expect(page.nextPageToken).not.toBeNull();
    for (const [options, message] of [
      [{ pageToken: 'not-a-token' }, "Invalid parameter 'page_token': is malformed"],
      [
        { pageToken: Buffer.from('{"v":1,"p":"/","r":false,"a":["../x"]}').toString('base64url') },
        'is malformed',
      ],
      [{ pageToken: page.nextPageToken, recursive: true }, 'belongs to a different listing'],
      [{ pageSize: 0 }, "Invalid parameter 'page_size'"],
    ] as const) {
      const err = await conn.list('/', options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_parameter');
      expect((err as AppError).message).toContain(message);
    }
    const other = await conn.list('/a', { pageToken: page.nextPageToken }).catch((e: unknown) => e);
    expect((other as AppError).message).toContain('belongs to a different listing');
    // Page sizes above 1000 are capped, not refused.
    expect((await conn.list('/', { pageSize: 5000 })).entries).toHaveLength(3);
  });
});

describe('what listings show', () => {
  it('follows inside symlinks, does not descend symlinked folders, skips the unrepresentable', async () => {
    fs.mkdirSync(path.join(box.root, 'real'));
    fs.writeFileSync(path.join(box.root, 'real/data.txt'), 'twelve bytes');
    fs.symlinkSync(path.join(box.root, 'real/data.txt'), path.join(box.root, 'file-link'));
    fs.symlinkSync(path.join(box.root, 'real'), path.join(box.root, 'folder-link'));
    fs.symlinkSync(box.root, path.join(box.root, 'real/loop'));
    fs.symlinkSync(path.join(box.outside, 'secret.txt'), path.join(box.root, 'outside-file'));
    fs.symlinkSync(box.outside, path.join(box.root, 'outside-folder'));
    fs.symlinkSync(path.join(box.root, 'gone'), path.join(box.root, 'dangling'));
    fs.writeFileSync(path.join(box.root, '.mc-partial-0123'), 'half a file');
    execFileSync('mkfifo', [path.join(box.root, 'fifo')]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(box.root, 'sock'), resolve));
    try {
      const { pages } = await allPages(conn, '/', { recursive: true, pageSize: 2 });
      const entries = pages.flat();
      expect(entries.map((e) => `${e.path}:${e.type}`)).toEqual([
        '/file-link:file',
        '/folder-link:folder',
        '/real:folder',
        '/real/data.txt:file',
        '/real/loop:folder',
      ]);
      expect(entries[0]).toMatchObject({ name: 'file-link', size: 12 });
      // A symlinked folder is still listable on its own.
      expect((await conn.list('/folder-link')).entries.map((e) => e.path)).toEqual([
        '/folder-link/data.txt',
        '/folder-link/loop',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
