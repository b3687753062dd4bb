// The local connector's confinement, metadata, reads and folders, on real temp folders.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { loadConfig } from '../../config';
import { createLocalConnector, openConnector, resolveLocalRoot } from '../../connectors';
import type { Connector } from '../../connectors/types';
import { expectKind, makeSandbox, type Sandbox } from './local-helpers';

let box: Sandbox;
let conn: Connector;

beforeEach(() => {
  box = makeSandbox();
  fs.writeFileSync(path.join(box.root, 'hello.txt'), 'hello world');
  fs.mkdirSync(path.join(box.root, 'sub'));
  conn = createLocalConnector(box.root, [box.allowed]);
});
afterEach(() => box.cleanup());

describe('resolveLocalRoot', () => {
  it('returns the realpath of a folder inside an allowed root', async () => {
    fs.symlinkSync(box.root, path.join(box.allowed, 'alias'));
    expect(await resolveLocalRoot(path.join(box.allowed, 'alias'), [box.allowed])).toBe(box.root);
    expect(await resolveLocalRoot(box.allowed, [box.allowed])).toBe(box.allowed);
  });

  it('rejects relative, missing, non-folder and outside roots with distinct kinds', async () => {
    await expectKind(resolveLocalRoot('relative/dir', [box.allowed]), 'invalid_path');
    await expectKind(resolveLocalRoot(path.join(box.allowed, 'missing'), [box.allowed]), 'not_found');
    await expectKind(resolveLocalRoot(path.join(box.root, 'hello.txt'), [box.allowed]), 'wrong_type');
    await expectKind(resolveLocalRoot(box.outside, [box.allowed]), 'permission_denied');
    // Outside the allowed roots, a missing folder is "denied", not "not found": no probing the disk.
    await expectKind(resolveLocalRoot(path.join(box.outside, 'missing'), [box.allowed]), 'permission_denied');
    await expectKind(
      resolveLocalRoot(path.join(box.allowed, '../outside'), [box.allowed]),
      'permission_denied',
    );
  });

  it('compares by path segments: a prefix-sibling folder is outside', async () => {
    fs.mkdirSync(`${box.root}2`);
    await expectKind(resolveLocalRoot(`${box.root}2`, [box.root]), 'permission_denied');
    expect(await resolveLocalRoot(path.join(box.root, 'sub'), [box.root])).toBe(path.join(box.root, 'sub'));
  });

  it('rejects a root that is a symlink leading outside', async () => {
    fs.symlinkSync(box.outside, path.join(box.allowed, 'sneaky'));
    await expectKind(resolveLocalRoot(path.join(box.allowed, 'sneaky'), [box.allowed]), 'permission_denied');
  });

  it('follows symlinks in the allowed roots too', async () => {
    const allowedAlias = path.join(box.base, 'allowed-alias');
    fs.symlinkSync(box.allowed, allowedAlias);
    expect(await resolveLocalRoot(box.root, [allowedAlias])).toBe(box.root);
  });
});

describe('confinement', () => {
  it('refuses ".." that climbs above the root, however it is spelled', async () => {
    for (const p of ['/../outside/secret.txt', '/../../etc/passwd', '/sub/../../outside/secret.txt', '/..']) {
      await expectKind(conn.stat(p), 'permission_denied');
      await expectKind(conn.openRead(p), 'permission_denied');
      await expectKind(conn.list(p), 'permission_denied');
    }
    await expectKind(
      conn.write('/../escaped.txt', Readable.from([Buffer.from('x')]), { overwrite: true }),
      'permission_denied',
    );
    await expectKind(conn.mkdir('/../escaped'), 'permission_denied');
    expect(fs.existsSync(path.join(box.allowed, 'escaped.txt'))).toBe(false);
    expect(fs.existsSync(path.join(box.allowed, 'escaped'))).toBe(false);
  });

  it('resolves ".." that stays inside, reporting the canonical path', async () => {
    const entry = await conn.stat('/sub/../hello.txt');
    expect(entry.path).toBe('/hello.txt');
    expect(entry.id).toBe('/hello.txt');
  });

  it('rejects relative paths and NUL bytes', async () => {
    await expectKind(conn.stat('hello.txt'), 'invalid_path');
    await expectKind(conn.list(''), 'invalid_path');
    await expectKind(conn.stat('/hello.txt\0.png'), 'permission_denied');
  });

  it('refuses symlinks to outside files and folders at any component', async () => {
    fs.symlinkSync(path.join(box.outside, 'secret.txt'), path.join(box.root, 'secret-link.txt'));
    fs.symlinkSync(box.outside, path.join(box.root, 'out'));
    await expectKind(conn.stat('/secret-link.txt'), 'permission_denied');
    await expectKind(conn.openRead('/secret-link.txt'), 'permission_denied');
    await expectKind(conn.stat('/out'), 'permission_denied');
    await expectKind(conn.list('/out'), 'permission_denied');
    await expectKind(conn.stat('/out/secret.txt'), 'permission_denied');
    await expectKind(conn.openRead('/out/secret.txt'), 'permission_denied');
    await expectKind(
      conn.write('/out/planted.txt', Readable.from([Buffer.from('x')]), { overwrite: true }),
      'permission_denied',
    );
    await expectKind(conn.mkdir('/out/planted'), 'permission_denied');
    await expectKind(conn.mkdir('/out'), 'permission_denied');
    expect(fs.readdirSync(box.outside)).toEqual(['secret.txt']);
  });

  it('follows symlinks that stay inside the root', async () => {
    fs.symlinkSync(path.join(box.root, 'hello.txt'), path.join(box.root, 'link.txt'));
    fs.symlinkSync(path.join(box.root, 'sub'), path.join(box.root, 'sublink'));
    expect(await conn.stat('/link.txt')).toMatchObject({ path: '/link.txt', type: 'file', size: 11 });
    expect(await text(await conn.openRead('/link.txt'))).toBe('hello world');
    expect(await conn.stat('/sublink')).toMatchObject({ path: '/sublink', type: 'folder' });
    expect((await conn.mkdir('/sublink/deeper')).path).toBe('/sublink/deeper');
    expect(fs.statSync(path.join(box.root, 'sub/deeper')).isDirectory()).toBe(true);
  });

  it('denies every call when the root lies outside the allowed roots', async () => {
    const outsider = createLocalConnector(box.outside, [box.allowed]);
    await expectKind(outsider.list('/'), 'permission_denied');
    await expectKind(outsider.stat('/secret.txt'), 'permission_denied');
    await expectKind(outsider.openRead('/secret.txt'), 'permission_denied');
    const sibling = createLocalConnector(`${box.root}2`, [box.root]);
    fs.mkdirSync(`${box.root}2`);
    await expectKind(sibling.list('/'), 'permission_denied');
  });

  it('re-checks the root on every call: a root swapped for a symlink outside stops working', async () => {
    expect((await conn.list('/')).entries.map((e) => e.name)).toEqual(['hello.txt', 'sub']);
    fs.renameSync(box.root, `${box.root}.old`);
    fs.symlinkSync(box.outside, box.root);
    await expectKind(conn.list('/'), 'permission_denied');
    await expectKind(conn.stat('/secret.txt'), 'permission_denied');
    await expectKind(conn.openRead('/secret.txt'), 'permission_denied');
    fs.unlinkSync(box.root);
    await expectKind(conn.list('/'), 'fatal_connection');
  });
});

describe('stat and openRead', () => {
  it('describes a file and a folder', async () => {
    const st = fs.statSync(path.join(box.root, 'hello.txt'));
    const file = await conn.stat('/hello.txt');
    expect(file).toEqual({
      id: '/hello.txt',
      name: 'hello.txt',
      path: '/hello.txt',
      type: 'file',
      mimeType: 'text/plain',
      size: 11,
      createdAt: st.birthtimeMs > 0 ? st.birthtime.toISOString() : null,
      modifiedAt: st.mtime.toISOString(),
      checksum: null,
    });
    expect(await conn.stat('/sub')).toMatchObject({
      id: '/sub',
      name: 'sub',
      type: 'folder',
      size: null,
      mimeType: null,
    });
    expect(await conn.stat('/')).toMatchObject({ path: '/', type: 'folder' });
    expect((await expectKind(conn.stat('/missing.txt'), 'not_found')).message).toBe(
      '/missing.txt does not exist',
    );
    await expectKind(conn.stat('/hello.txt/inside'), 'wrong_type');
  });

  it('guesses MIME types from common extensions only', async () => {
    for (const name of ['a.PDF', 'b.jpeg', 'c.unknownext', 'noext', '.hidden']) {
      fs.writeFileSync(path.join(box.root, name), '');
    }
    const types = await Promise.all(
      ['a.PDF', 'b.jpeg', 'c.unknownext', 'noext', '.hidden'].map((n) => conn.stat(`/${n}`)),
    );
    expect(types.map((e) => e.mimeType)).toEqual(['application/pdf', 'image/jpeg', null, null, null]);
  });

  it('reads from an offset, and refuses folders and missing files', async () => {
    expect(await text(await conn.openRead('/hello.txt'))).toBe('hello world');
    expect(await text(await conn.openRead('/hello.txt', { start: 6 }))).toBe('world');
    await expectKind(conn.openRead('/sub'), 'wrong_type');
    await expectKind(conn.openRead('/nope'), 'not_found');
  });
});

describe('mkdir', () => {
  it('creates missing parents, accepts an existing folder, refuses a file in the way', async () => {
    const made = await conn.mkdir('/a/b c/日本');
    expect(made).toMatchObject({ id: '/a/b c/日本', name: '日本', path: '/a/b c/日本', type: 'folder' });
    expect(fs.statSync(path.join(box.root, 'a/b c/日本')).isDirectory()).toBe(true);
    expect((await conn.mkdir('/a')).path).toBe('/a');
    expect((await conn.mkdir('/')).path).toBe('/');
    await expectKind(conn.mkdir('/hello.txt'), 'wrong_type');
    await expectKind(conn.mkdir('/hello.txt/x'), 'wrong_type');
  });
});

describe('openConnector', () => {
  const stored = (service: 'local' | 'dropbox', config: Record<string, unknown>) => ({
    id: 'conn_test',
    accountId: 'acc_test',
    service,
    config,
  });

  it('opens a local connector from a stored connection, inside the configured roots', async () => {
    const config = loadConfig({ MIGRATECLOUDS_LOCAL_ROOTS: box.allowed });
    const c = await openConnector(stored('local', { root: box.root }), { config });
    expect(c.service).toBe('local');
    expect(c.features).toEqual({ caseInsensitive: false, hashes: [], setModifiedTime: true });
    expect((await c.stat('/hello.txt')).size).toBe(11);
    const elsewhere = await openConnector(stored('local', { root: box.root }), { config: loadConfig({}) });
    await expectKind(elsewhere.stat('/hello.txt'), 'permission_denied');
  });

  it('refuses cloud connections without credentials, and local connections without a root', async () => {
    const config = loadConfig({ DROPBOX_CLIENT_ID: 'app', DROPBOX_CLIENT_SECRET: 'secret' });
    const box = createSecretBox(generateEncryptionKey());
    await expect(openConnector(stored('dropbox', {}), { config, box })).rejects.toMatchObject({
      kind: 'fatal_connection',
      message: 'Connection conn_test has no credentials',
    });
    await expect(openConnector(stored('dropbox', {}), { config: loadConfig({}), box })).rejects.toMatchObject(
      { kind: 'fatal_connection', message: 'dropbox is not configured on this server' },
    );
    await expect(openConnector(stored('local', {}), { config })).rejects.toMatchObject({
      kind: 'fatal_connection',
    });
  });
});
