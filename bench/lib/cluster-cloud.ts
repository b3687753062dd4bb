// The cloud half of benchmark 8: emulated Drive → Dropbox under a quota of R requests/s on each side, on
// `npm run cluster` (each connection's budget shared by every worker through Redis). One migration of
// `single` files, then ten at once of `each` files; files/s, throttled answers and whether every file
// arrived byte-identical.
import { generateTree, seedContent, type SeedEntry } from '../../emulators/common/seed';
import { startDropboxEmulator } from '../../emulators/dropbox';
import { startGoogleDriveEmulator } from '../../emulators/google-drive';
import { providerEnv } from '../../scripts/lib/demo';
import { grantTokens } from '../../scripts/lib/demo-connections';
import type { ApiClient, MigrationView } from './api-client';
import { timedToEnd } from './cluster';
import { emulatorCounters, setRateLimit } from './emulator-control';

export interface CloudSources {
  env: Record<string, string>;
  /** Fresh connections of the cluster's dev account to both emulators. */
  connect(api: ApiClient): Promise<{ drive: string; dropbox: string }>;
  /** Limits both emulators to `rate` requests/s and zeroes their counters. */
  limit(rate: number): Promise<void>;
  throttled(): Promise<number>;
  /** Files of the Drive folder `from` that are byte-identical in Dropbox under `to`. */
  identical(from: string, to: string): number;
  close(): Promise<void>;
}

/** Drive holds /single (`single` files) and /ten-0 … /ten-9 (`each` files each). */
export async function cloudSources(single: number, each: number, rate: number): Promise<CloudSources> {
  const [drive, dropbox] = await Promise.all([startGoogleDriveEmulator(), startDropboxEmulator()]);
  const tree = (files: number) =>
    generateTree({ seed: 8, files, folders: 10, maxDepth: 2, minSize: 1024, maxSize: 16 * 1024 });
  const under = (root: string, entries: SeedEntry[]): SeedEntry[] => [
    { path: root, type: 'folder', size: 0, modifiedAt: new Date().toISOString() },
    ...entries.map((e) => ({ ...e, path: `${root}${e.path}` })),
  ];
  const seeded = [
    under('/single', tree(single)),
    ...Array.from({ length: 10 }, (_, i) => under(`/ten-${i}`, tree(each))),
  ];
  drive.seed({ files: 0, tree: seeded.flat() });
  const files = new Map(
    seeded.map((entries) => [entries[0]!.path, entries.filter((e) => e.type === 'file')]),
  );
  const emulators = [
    { service: 'google_drive' as const, url: drive.url, emulator: drive },
    { service: 'dropbox' as const, url: dropbox.url, emulator: dropbox },
  ];
  return {
    env: {
      ...providerEnv(emulators),
      GOOGLE_DRIVE_REQUESTS_PER_SECOND: String(rate),
      DROPBOX_REQUESTS_PER_SECOND: String(rate),
    },
    async connect(api) {
      const connection = async (service: string, url: string) =>
        api.cloudConnection(service, (await grantTokens(url)).refreshToken);
      return {
        drive: await connection('google_drive', drive.url),
        dropbox: await connection('dropbox', dropbox.url),
      };
    },
    async limit(r) {
      await Promise.all([setRateLimit(drive.url, r), setRateLimit(dropbox.url, r)]);
    },
    async throttled() {
      const [a, b] = await Promise.all([emulatorCounters(drive.url), emulatorCounters(dropbox.url)]);
      return a.throttled + b.throttled;
    },
    identical(from, to) {
      return (files.get(from) ?? []).filter((f) =>
        dropbox.store.get(`${to}${f.path.slice(from.length)}`)?.content?.equals(seedContent(f.path, f.size)),
      ).length;
    },
    close: () => Promise.all([drive.close(), dropbox.close()]).then(() => undefined),
  };
}

/** Starts a Drive → Dropbox migration of each `[from, to]` at once; times first start → last end. */
export async function migrateCloud(
  api: ApiClient,
  ids: { drive: string; dropbox: string },
  pairs: [string, string][],
): Promise<{ ms: number; views: MigrationView[] }> {
  const started: MigrationView[] = [];
  for (const [from, to] of pairs) {
    started.push(
      await api.startMigration(
        { connection_id: ids.drive, path: from },
        { connection_id: ids.dropbox, path: to },
      ),
    );
  }
  return timedToEnd(api, started);
}
