// `local`: a folder this server reaches itself (a disk, a mounted NAS), confined to the operator's roots.
import path from 'node:path';
import { z } from 'zod';
import { gatedConnector } from '../budgeted';
import { defineService } from '../service';
import { ConnectorError } from '../types';
import { createLocalConnector, LOCAL_FEATURES } from './connector';
import { LOCAL_FSYNC_MODES, type LocalFsync } from './durability';
import { resolveLocalRoot } from './paths';

declare module '../../contract/services' {
  interface RegisteredServices {
    local: true;
  }
}

export interface LocalSettings {
  /** Absolute, resolved folders that `local` connections must stay inside. */
  roots: string[];
  fsync: LocalFsync;
  requestsPerSecond: number;
}

const variables = z.object({
  MIGRATECLOUDS_LOCAL_ROOTS: z
    .string()
    .optional()
    .describe(
      'Colon-separated folders that `local` connections must stay inside. Unset: `files` in the data dir (`.data/files`).',
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
      .map((r) => path.resolve(base.projectRoot, r)),
    fsync: v.LOCAL_FSYNC,
    requestsPerSecond: v.LOCAL_REQUESTS_PER_SECOND,
  }),
  requestsPerSecond: (s) => s.requestsPerSecond,
  path: {
    async checkConfig(config, settings) {
      return { root: await resolveLocalRoot(config.root, settings.roots) };
    },
  },
  open({ settings, config, gate }) {
    const root = config.root;
    if (typeof root !== 'string' || root === '') {
      throw new ConnectorError('fatal_connection', 'The local connection has no root folder configured');
    }
    const connector = createLocalConnector(root, settings.roots, { fsync: settings.fsync });
    // No HTTP client to gate: each call counts as one request.
    return gate ? gatedConnector(connector, gate) : connector;
  },
});
