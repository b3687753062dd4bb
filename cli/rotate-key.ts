// `migrateclouds admin rotate-key`: re-seals every connection's secrets and every webhook's signing
// secret under the keyring's current key, online. Row by row, each replaced only if unchanged since it
// was read (a token refreshed meanwhile is already under the current key: the workers seal with it), so
// it is safe while APIs and workers run and may be run again at any time; a second run changes nothing.
import type { Command } from 'commander';
import type { SecretBox } from '../common/secret-box';
import type { SealedKind, Store } from '../store/types';

const PAGE = 200;

export interface ResealReport {
  resealed: Record<SealedKind, number>;
  current: Record<SealedKind, number>;
  /** Values that do not open with any configured key (listed by id, never by content). */
  unreadable: { kind: SealedKind; id: string }[];
}

export async function resealAll(store: Store, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = {
    resealed: { connection: 0, webhook: 0 },
    current: { connection: 0, webhook: 0 },
    unreadable: [],
  };
  for (const kind of ['connection', 'webhook'] as const) {
    for (let after: string | null = null; ;) {
      const page = await store.sealedSecrets.page(kind, after, PAGE);
      for (const { id, sealed } of page) {
        let fresh: string | undefined;
        try {
          fresh = box.reseal(sealed, id);
        } catch {
          report.unreadable.push({ kind, id });
          continue;
        }
        if (fresh === undefined) report.current[kind]++;
        // Changed since read (a refresh sealed it under the current key) or deleted: nothing to do.
        else if (await store.sealedSecrets.swap(kind, id, sealed, fresh)) report.resealed[kind]++;
        else report.current[kind]++;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
  }
  return report;
}

export function rotateKeyCommand(
  admin: Command,
  deps: {
    openStore: () => Promise<Store>;
    print: (v: unknown) => void;
    secretBox: () => SecretBox | undefined;
  },
  fail: (message: string) => Error,
): void {
  admin
    .command('rotate-key')
    .description(
      're-seal connection and webhook secrets under the current key (the first of MIGRATECLOUDS_ENCRYPTION_KEYS); safe while running',
    )
    .action(async () => {
      const box = deps.secretBox();
      if (!box)
        throw fail(
          'No encryption key is configured (MIGRATECLOUDS_ENCRYPTION_KEYS or MIGRATECLOUDS_ENCRYPTION_KEY)',
        );
      const store = await deps.openStore();
      try {
        const report = await resealAll(store, box);
        deps.print({
          resealed: report.resealed,
          already_current: report.current,
          unreadable: report.unreadable,
        });
        if (report.unreadable.length)
          throw fail(
            `${report.unreadable.length} sealed values open with no configured key: keep their key in the ring`,
          );
      } finally {
        await store.close();
      }
    });
}
