// Change feeds and delete, for each cloud connector against its emulator through the official SDKs:
// a cursor taken now lists what changed below the folder since (added, changed, moved, deleted),
// nothing outside it; a cursor the service refuses is `expired_cursor`; delete removes a file or a
// folder with its contents and succeeds when nothing is there. The local connector's delete too.
import fs from 'node:fs';
import path from 'node:path';
import { createLocalConnector } from '../../connectors/local';
import type { Change, Connector } from '../../connectors/types';
import {
  type CloudEmulator,
  type CloudSpec,
  connect,
  DROPBOX,
  GOOGLE_DRIVE,
  ONEDRIVE,
  useEmulator,
} from './cloud-targets';
import { expectKind, makeSandbox } from './local-helpers';
import { streamOf } from './streams';

const put = (c: Connector, p: string, text: string) =>
  c.write(p, streamOf(Buffer.from(text)), { overwrite: true, size: Buffer.byteLength(text) });

async function allChanges(
  c: Connector,
  folder: string,
  cursor: string,
): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = [];
  for (;;) {
    const page = await c.changes!.list(folder, cursor);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

const upserted = (changes: Change[]) =>
  changes.flatMap((ch) => (ch.type === 'upsert' ? [ch.entry.path] : [])).sort();

function describeFeed<E extends CloudEmulator>(
  spec: CloudSpec<E>,
  expire: (c: Connector, emu: E) => Promise<string>,
) {
  describe(`${spec.service} change feed and delete`, () => {
    const h = useEmulator(spec);

    it('lists what changed below the folder since the cursor, and only that', async () => {
      const { c } = connect(spec, h.emu);
      await c.mkdir('/Sync/old');
      await put(c, '/Sync/keep.txt', 'keep');
      await put(c, '/Sync/gone.txt', 'gone');
      await put(c, '/Sync/old/inner.txt', 'inner');
      await c.mkdir('/Elsewhere');
      const gone = await c.stat('/Sync/gone.txt');
      const cursor = await c.changes!.cursor('/Sync');

      await put(c, '/Sync/new.txt', 'new');
      await put(c, '/Sync/keep.txt', 'changed');
      await c.mkdir('/Sync/sub');
      await put(c, '/Sync/sub/deep.txt', 'deep');
      await put(c, '/Elsewhere/outside.txt', 'outside');
      await c.delete!('/Sync/gone.txt');
      const first = await allChanges(c, '/Sync', cursor);

      expect(upserted(first.changes)).toEqual([
        '/Sync/keep.txt',
        '/Sync/new.txt',
        '/Sync/sub',
        '/Sync/sub/deep.txt',
      ]);
      const deleted = first.changes.filter((ch) => ch.type === 'delete');
      // Paths where the service says them (Dropbox), else the id.
      expect(
        deleted.some((d) => d.type === 'delete' && (d.path === '/Sync/gone.txt' || d.id === gone.id)),
      ).toBe(true);
      const keep = first.changes.find((ch) => ch.type === 'upsert' && ch.entry.path === '/Sync/keep.txt');
      expect(keep?.type === 'upsert' && keep.entry.size).toBe(7);

      // Nothing new since: the cursor at the end lists nothing below the folder.
      expect(upserted((await allChanges(c, '/Sync', first.cursor)).changes)).toEqual([]);
      // A fresh cursor sees only later changes.
      const later = await c.changes!.cursor('/Sync');
      await put(c, '/Sync/last.txt', 'last');
      expect(upserted((await allChanges(c, '/Sync', later)).changes)).toEqual(['/Sync/last.txt']);
    });

    it('reports a renamed folder at its new path (with its contents where the feed lists them)', async () => {
      const { c } = connect(spec, h.emu);
      await c.mkdir('/Sync/before');
      await put(c, '/Sync/before/a.txt', 'a');
      const before = await c.stat('/Sync/before');
      const cursor = await c.changes!.cursor('/Sync');
      await rename(spec.service, h.emu, before.id, '/Sync/before', 'after');
      const { changes } = await allChanges(c, '/Sync', cursor);
      expect(upserted(changes)).toContain('/Sync/after');
      if (c.changes!.reportsMovedContents) expect(upserted(changes)).toContain('/Sync/after/a.txt');
    });

    it('refuses a cursor it no longer knows as expired_cursor', async () => {
      const { c } = connect(spec, h.emu);
      await c.mkdir('/Sync');
      const stale = await expire(c, h.emu);
      await expectKind(c.changes!.list('/Sync', stale), 'expired_cursor');
    });

    it('deletes a file, and a folder with its contents; nothing there is success', async () => {
      const { c } = connect(spec, h.emu);
      await c.mkdir('/D/sub');
      await put(c, '/D/f.txt', 'f');
      await put(c, '/D/sub/g.txt', 'g');
      await c.delete!('/D/f.txt');
      await expectKind(c.stat('/D/f.txt'), 'not_found');
      await c.delete!('/D/sub');
      await expectKind(c.stat('/D/sub/g.txt'), 'not_found');
      await expectKind(c.stat('/D/sub'), 'not_found');
      await c.delete!('/D/sub');
      await c.delete!('/Nowhere/x.txt');
      // The folder can be made again at once (no stale cache of the deleted one).
      await c.mkdir('/D/sub');
      await put(c, '/D/sub/h.txt', 'h');
      expect((await c.stat('/D/sub/h.txt')).size).toBe(1);
      await expectKind(c.delete!('/'), 'invalid_path');
    });
  });
}

/** Renames an item the way a user would, through the emulator's own state. */
async function rename(service: string, emu: CloudEmulator, id: string, path: string, name: string) {
  const e = emu as unknown as Record<string, unknown>;
  if (service === 'google_drive') {
    const store = e.store as {
      files: Map<string, { name: string }>;
      record(id: string, removed: boolean): void;
    };
    store.files.get(id)!.name = name;
    store.record(id, false);
  } else if (service === 'onedrive') {
    const store = e.store as { items: Map<string, { name: string }>; touch(i: unknown): void };
    const item = store.items.get(id)!;
    item.name = name;
    store.touch(item);
  } else {
    // Dropbox (move_v2 is not emulated): a move is its old paths deleted and the new ones added.
    const store = e.store as {
      delete(p: string): unknown;
      createFolder(p: string): unknown;
      writeFile(p: string, b: Buffer): unknown;
    };
    store.delete(path);
    store.createFolder(`/Sync/${name}`);
    store.writeFile(`/Sync/${name}/a.txt`, Buffer.from('a'));
  }
}

describeFeed(GOOGLE_DRIVE, async () => 'not-a-token');
describeFeed(ONEDRIVE, async () => '/me/drive/root/delta?token=999999');
describeFeed(DROPBOX, async (c) => {
  // Dropbox resets a cursor whose folder went away.
  const cursor = await c.changes!.cursor('/Sync');
  await c.delete!('/Sync');
  return cursor;
});

describe('local delete', () => {
  it('deletes inside the root only, a folder with its contents, symlinks themselves', async () => {
    const box = makeSandbox();
    try {
      const c = createLocalConnector(box.root, [box.allowed]);
      await c.mkdir('/a/b');
      await put(c, '/a/b/c.txt', 'c');
      fs.symlinkSync(box.outside, path.join(box.root, 'link'));
      await c.delete!('/link');
      expect(fs.existsSync(path.join(box.outside, 'secret.txt'))).toBe(true);
      expect(fs.existsSync(path.join(box.root, 'link'))).toBe(false);
      await c.delete!('/a');
      expect(fs.existsSync(path.join(box.root, 'a'))).toBe(false);
      await c.delete!('/a');
      await expectKind(c.delete!('/'), 'invalid_path');
      await expectKind(c.delete!('/../outside'), 'permission_denied');
      fs.symlinkSync(box.outside, path.join(box.root, 'out'));
      await expectKind(c.delete!('/out/secret.txt'), 'permission_denied');
      expect(fs.existsSync(path.join(box.outside, 'secret.txt'))).toBe(true);
    } finally {
      box.cleanup();
    }
  });
});
