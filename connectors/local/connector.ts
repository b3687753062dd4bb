// The `local` connector: a folder on this machine or a mounted NAS, confined to the operator's allowed roots.
import type { Stats } from 'node:fs';
import nodePath from 'node:path';
import type { Readable } from 'node:stream';
import {
  ConnectorError,
  isConnectorError,
  type Connector,
  type ConnectorFeatures,
  type FileEntry,
} from '../types';
import { deleteLocal } from './delete';
import type { LocalDirect } from './direct';
import { copySmallFiles, DIRECT_MAX_BYTES } from './direct-copy';
import { Durability, type LocalFsync } from './durability';
import { toEntry } from './entries';
import { callsFor, type FsCalls } from './fs-calls';
import { mapFsError } from './fs-errors';
import { listFolder } from './list';
import { makeFolder } from './mkdir';
import { parseConnectorPath, resolveExisting, resolveLocalRoot, toConnectorPath } from './paths';
import { discardPartial, partialPath } from './partial';
import { openFile } from './read';
import { writeFile } from './write';

export const LOCAL_FEATURES: ConnectorFeatures = {
  caseInsensitive: false,
  // Local metadata carries no hashes; copies hash the bytes on the fly instead.
  hashes: [],
  setModifiedTime: true,
};

interface Root {
  real: string;
  calls: FsCalls;
}

export interface LocalConnectorOptions {
  /** When writes are fsynced (LOCAL_FSYNC, default `batch`): see durability.ts. */
  fsync?: LocalFsync;
  /**
   * Threads that copy small files from another local connection (LOCAL_COPY_THREADS, default 2; see
   * direct.ts); 0 copies every file through `write`.
   */
  copyThreads?: number;
}

const DEFAULT_COPY_THREADS = 2;

/**
 * A connector for `root`, which must stay inside `allowedRoots`. Every call resolves its path's realpath
 * and checks it lies inside the root's, so a root later replaced by a symlink cannot lead anywhere else;
 * one that was removed fails the connection (`fatal_connection`).
 *
 * Known limit: checks run on realpaths just before each operation; a concurrent local process swapping a
 * folder for a symlink between check and use is not defended against (Node has no openat/O_BENEATH).
 */
export function createLocalConnector(
  root: string,
  allowedRoots: string[],
  options: LocalConnectorOptions = {},
): Connector {
  const durability = new Durability(options.fsync ?? 'batch');
  const validateRoot = async (): Promise<string> => {
    try {
      return await resolveLocalRoot(root, allowedRoots);
    } catch (err) {
      // A configured root that vanished makes the whole connection unusable, not just one file.
      if (err instanceof ConnectorError && err.kind === 'not_found') {
        throw new ConnectorError('fatal_connection', `The connection's root folder no longer exists`);
      }
      throw err;
    }
  };
  // The root's realpath, validated once per connector (one activity's worth of calls), with the
  // file-system calls that suit its mount (fs-calls.ts). Every call still resolves its own path's
  // realpath and checks it lies inside this one, so a root or folder swapped for a symlink since
  // then leads nowhere (resolveExisting).
  let validated: Promise<Root> | undefined;
  const rootOf = (): Promise<Root> =>
    (validated ??= validateRoot()
      .then(async (real) => ({ real, calls: await callsFor(real) }))
      .catch((err: unknown) => {
        validated = undefined;
        throw err;
      }));
  /** Runs `call` inside the root; when something is not found, checks whether the root itself is gone. */
  const confined = async <T>(call: (root: Root) => Promise<T>): Promise<T> => {
    try {
      return await call(await rootOf());
    } catch (err) {
      if (isConnectorError(err, 'not_found')) await validateRoot();
      throw err;
    }
  };

  async function statExisting(path: string): Promise<FileEntry> {
    const segments = parseConnectorPath(path);
    const connectorPath = toConnectorPath(segments);
    const fail = (err: unknown) => {
      throw mapFsError(err, connectorPath);
    };
    const { real: rootReal, calls } = await rootOf();
    let stats: Stats;
    if (segments.length === 0) {
      stats = await calls.stat(await confined((r) => resolveExisting(r.real, segments, calls))).catch(fail);
    } else {
      // The parent's realpath, then the item itself without following it: a file that does not exist
      // (the usual answer before a copy) is told apart from a root that vanished without more calls.
      const parent = await confined((r) => resolveExisting(r.real, segments.slice(0, -1), calls));
      stats = await calls.lstat(nodePath.join(parent, segments[segments.length - 1])).catch(fail);
      if (stats.isSymbolicLink()) {
        stats = await calls.stat(await resolveExisting(rootReal, segments, calls)).catch(fail);
      }
    }
    const entry = toEntry(connectorPath, stats);
    if (!entry) throw new ConnectorError('wrong_type', `${connectorPath} is neither a file nor a folder`);
    return entry;
  }

  const copyThreads = options.copyThreads ?? DEFAULT_COPY_THREADS;
  const direct: LocalDirect = {
    maxBytes: DIRECT_MAX_BYTES,
    fsync: durability.mode,
    folder: (segments) => confined((r) => resolveExisting(r.real, segments, r.calls)),
    named: (folder) => durability.named(folder),
    copySmallFrom: (source, files, opts) => copySmallFiles(source, direct, files, opts, copyThreads),
  };

  return {
    service: 'local',
    features: LOCAL_FEATURES,
    ...(copyThreads > 0 ? { localDirect: async () => direct } : {}),

    async list(path, options) {
      const segments = parseConnectorPath(path);
      return confined((root) => listFolder(root.real, segments, options, root.calls));
    },

    stat: statExisting,

    async openRead(path, options = {}): Promise<Readable> {
      const segments = parseConnectorPath(path);
      const start = options.start ?? 0;
      return confined((root) => openFile(root.real, segments, start, root.calls));
    },

    async write(path, data, options) {
      let segments: string[];
      try {
        segments = parseConnectorPath(path);
      } catch (err) {
        data.destroy();
        throw err;
      }
      return confined((root) =>
        writeFile(root.real, segments, data, options, { calls: root.calls, durability }),
      ).catch((err: unknown) => {
        data.destroy();
        throw err;
      });
    },

    async abortUpload(session) {
      // Best effort, as for every service: a session that names nothing (or nothing inside the root) is done.
      await confined(async (root) => {
        const segments = parseConnectorPath(session.path ?? '/');
        if (segments.length === 0) return;
        const parent = await resolveExisting(root.real, segments.slice(0, -1), root.calls);
        await discardPartial(root.calls, partialPath(parent, segments[segments.length - 1]), session);
      }).catch(() => undefined);
    },

    flush: () => durability.flush(),

    async mkdir(path) {
      const segments = parseConnectorPath(path);
      return confined((root) => makeFolder(root.real, segments, root.calls));
    },

    async delete(path) {
      const segments = parseConnectorPath(path);
      await confined((root) => deleteLocal(root.real, segments));
    },
  };
}
