// GET /me/drive/root/delta: every item changed since a token, each once in its latest state (deleted
// ones as {id, deleted: {}}), paged with @odata.nextLink and closed by @odata.deltaLink.
// Like Graph, delta items' parentReference has no path. `?token=latest` answers no items and a
// deltaLink for "now". Tokens are the store's change sequence.
import type { Request, Response } from 'express';
import { graphError } from './errors';
import { driveItem } from './resource';
import type { DriveItem, OneDriveStore } from './store';

const PAGE = 200;

export function deltaHandler(store: OneDriveStore, req: Request, res: Response): void {
  const origin = `${req.protocol}://${req.get('host')}`;
  const link = (query: string) => `${origin}/v1.0/me/drive/root/delta?${query}`;
  const token = req.query.token === undefined ? '0' : String(req.query.token);
  if (token === 'latest') {
    return void res.json({ value: [], '@odata.deltaLink': link(`token=${store.seq}`) });
  }
  const since = Number(token);
  const after = req.query.$skiptoken === undefined ? since : Number(req.query.$skiptoken);
  if (!Number.isInteger(since) || !Number.isInteger(after) || since < 0 || since > store.seq) {
    return graphError(
      res,
      410,
      'resyncRequired',
      "Resync required. Replace any local items with the server's version (resyncChangesApplyDifferences).",
    );
  }
  const top = Math.max(1, Math.min(1000, Number(req.query.$top ?? PAGE) || PAGE));
  const changed = [
    ...[...store.items.values()].map((i) => ({ seq: i.changeSeq, body: () => deltaItem(store, i, origin) })),
    ...[...store.deleted.values()].map((d) => ({
      seq: d.changeSeq,
      body: () => ({ id: d.id, deleted: {}, parentReference: { id: d.parentId, driveId: store.driveId } }),
    })),
  ]
    .filter((c) => c.seq > after)
    .sort((a, b) => a.seq - b.seq);
  const page = changed.slice(0, top);
  const body: Record<string, unknown> = { value: page.map((c) => c.body()) };
  if (changed.length > top) {
    body['@odata.nextLink'] = link(`token=${since}&$top=${top}&$skiptoken=${page[page.length - 1]!.seq}`);
  } else {
    body['@odata.deltaLink'] = link(`token=${store.seq}`);
  }
  res.json(body);
}

/** As Graph documents for delta: parentReference carries no path (track items by id). */
function deltaItem(store: OneDriveStore, item: DriveItem, origin: string): Record<string, unknown> {
  const body = driveItem(store, item, origin);
  const ref = body.parentReference as Record<string, unknown> | undefined;
  if (ref) body.parentReference = { ...ref, path: undefined };
  return body;
}
