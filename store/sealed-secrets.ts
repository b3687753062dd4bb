// Every sealed value at rest, for re-sealing them under a new key (`admin rotate-key`): the secrets of
// connections and the signing secrets of webhooks, read a page at a time in id order and replaced only if
// unchanged since read, so a token refresh racing the rotation is never overwritten.
import type { Db } from './db';

/** Where sealed values live; each is sealed bound to its row's id. */
export type SealedKind = 'connection' | 'webhook';

export interface SealedValue {
  kind: SealedKind;
  id: string;
  sealed: string;
}

export interface SealedSecretsRepo {
  /** Up to `limit` sealed values of one kind with ids after `afterId`, in id order. */
  page(kind: SealedKind, afterId: string | null, limit: number): Promise<SealedValue[]>;
  /** Replaces one value if it is still `from`; false when it changed or the row is gone. */
  swap(kind: SealedKind, id: string, from: string, to: string): Promise<boolean>;
}

export function createSealedSecretsRepo(db: Db): SealedSecretsRepo {
  return {
    async page(kind, afterId, limit) {
      if (kind === 'connection') {
        let q = db.selectFrom('connections').select(['id', 'secrets']).where('secrets', 'is not', null);
        if (afterId) q = q.where('id', '>', afterId);
        const rows = await q.orderBy('id', 'asc').limit(limit).execute();
        return rows.map((r) => ({ kind, id: r.id, sealed: r.secrets! }));
      }
      let q = db.selectFrom('webhooks').select(['id', 'secret']);
      if (afterId) q = q.where('id', '>', afterId);
      const rows = await q.orderBy('id', 'asc').limit(limit).execute();
      return rows.map((r) => ({ kind, id: r.id, sealed: r.secret }));
    },

    async swap(kind, id, from, to) {
      const result =
        kind === 'connection'
          ? await db
              .updateTable('connections')
              .set({ secrets: to })
              .where('id', '=', id)
              .where('secrets', '=', from)
              .executeTakeFirst()
          : await db
              .updateTable('webhooks')
              .set({ secret: to })
              .where('id', '=', id)
              .where('secret', '=', from)
              .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
