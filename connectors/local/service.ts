// `local`: a folder this server reaches itself (a disk, a mounted NAS), confined to the operator's roots.
import path from 'node:path';
import { z } from 'zod';
import { gatedConnector } from '../budgeted';
import { defineService } from '../service';
import { ConnectorError } from '../types';
import { createLocalConnector, LOCAL_FEATURES } from './connector';
import { LOCAL_FSYNC_MODES, type LocalFsync } from './durability';
import { realOrResolved, usableGrants } from './grants';
import { resolveLocalRoot } from './paths';

declare module '../../contract/services' {
  interface RegisteredServices {
    local: true;
  }
}

export interface LocalSettings {
  /** The server's roots (real paths where they exist): every account's grants lie inside them. */
  roots: string[];
  fsync: LocalFsync;
  requestsPerSecond: number;
  copyThreads: number;
}

const variables = z.object({
  MIGRATECLOUDS_LOCAL_ROOTS: z
    .string()
    .optional()
    .describe(
      'Colon-separated folders on the server inside which the operator grants folders to accounts for `local` connections (`admin grant-local-root`). Unset: `files` in the data dir (`.data/files`).',
    ),
  LOCAL_REQUESTS_PER_SECOND: z.coerce
    .number()
    .min(0)
    .default(0)
    .describe(
      'Requests/s each `local` connection may make (each connector call counts as one request); `0` = unlimited.',
    ),
  // See connectors/local/durability.ts.
  LOCAL_FSYNC: z
    .enum(LOCAL_FSYNC_MODES)
    .default('batch')
    .describe(
      'When `local` writes reach the disk: `batch` (data before the name, folders once per batch, before reporting), `file` (file and folder per file) or `off` (no fsync, like rclone).',
    ),
  LOCAL_COPY_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(2)
    .describe(
      'Threads per worker that copy small files (under 1 MiB) from one `local` connection to another, each file in one synchronous loop instead of streams; `0` sends every file through the usual streaming copy. Not used while `LOCAL_REQUESTS_PER_SECOND` paces the connection.',
    ),
});

export const localService = defineService({
  name: 'local',
  label: 'Local folder',
  inProse: 'the local disk',
  credentials: 'path',
  features: LOCAL_FEATURES,
  variables,
  settings: (v, base): LocalSettings => ({
    roots: (v.MIGRATECLOUDS_LOCAL_ROOTS ?? path.join(base.dataDir, 'files'))
      .split(':')
      .filter(Boolean)
      .map((r) => realOrResolved(path.resolve(base.projectRoot, r))),
    fsync: v.LOCAL_FSYNC,
    requestsPerSecond: v.LOCAL_REQUESTS_PER_SECOND,
    copyThreads: v.LOCAL_COPY_THREADS,
  }),
  requestsPerSecond: (s) => s.requestsPerSecond,
  path: {
    async checkConfig(config, settings, grantedRoots) {
      return { root: await resolveLocalRoot(config.root, reachable(settings, grantedRoots)) };
    },
  },
  open({ settings, config, gate, grantedRoots }) {
    const root = config.root;
    if (typeof root !== 'string' || root === '') {
      throw new ConnectorError('fatal_connection', 'The local connection has no root folder configured');
    }
    // Checked again on every call: a grant taken back stops the connections inside it. Direct copies
    // (copy threads) would bypass the pacing gate: none while it paces.
    const connector = createLocalConnector(root, reachable(settings, grantedRoots), {
      fsync: settings.fsync,
      copyThreads: gate ? 0 : settings.copyThreads,
    });
    // No HTTP client to gate: each call counts as one request.
    return gate ? gatedConnector(connector, gate) : connector;
  },
});

/** What a connection may reach: its account's grants (still inside the server's roots), else the server's roots. */
const reachable = (settings: LocalSettings, grantedRoots: string[] | undefined): string[] =>
  grantedRoots ? usableGrants(grantedRoots, settings.roots) : settings.roots;
