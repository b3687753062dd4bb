// The pre-authenticated download URL (@microsoft.graph.downloadUrl): bytes with Range support, no
// Authorization needed, and the reset-mid-body fault.
import type { Request, Response } from 'express';
import { type Faults, sendDownload } from '../common/faults';
import { graphError, itemNotFound } from './errors';
import type { OneDriveStore } from './store';

/** Parses "bytes=a-b", "bytes=a-" or "bytes=-n" against `size`; null if unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

export function downloadHandler(store: OneDriveStore, faults: Faults) {
  return (req: Request, res: Response): void => {
    const item = store.get(String(req.params.id));
    if (!item || item.folder) return itemNotFound(res);
    const content = item.content!;
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', item.mimeType ?? 'application/octet-stream');
    res.setHeader('ETag', `"{${item.id}},${item.version}"`);
    let body = content;
    const range = req.headers.range;
    if (range) {
      const r = parseRange(range, content.length);
      if (!r) {
        res.setHeader('Content-Range', `bytes */${content.length}`);
        return graphError(res, 416, 'invalidRange', 'The requested range is not satisfiable.');
      }
      body = content.subarray(r.start, r.end + 1);
      res.status(206).setHeader('Content-Range', `bytes ${r.start}-${r.end}/${content.length}`);
    }
    res.setHeader('Content-Length', String(body.length));
    sendDownload(res, body, faults);
  };
}
