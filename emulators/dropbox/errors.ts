// Dropbox's answers for failures: endpoint errors are 409 with a tagged union and an error_summary
// ("path/not_found/.."), bad input is a 400 in plain text, auth failures are 401 with their own union,
// throttling is 429 with Retry-After and retry_after in the body.
import type { Response } from 'express';
import type { FaultResponses } from '../common/faults';

export type Tagged = { '.tag': string } & Record<string, unknown>;

const summaryOf = (error: Tagged): string => {
  const parts: string[] = [];
  let cur: unknown = error;
  while (cur && typeof cur === 'object' && '.tag' in cur) {
    const tag = (cur as Tagged)['.tag'];
    parts.push(tag);
    cur = (cur as Record<string, unknown>)[tag] ?? (cur as Record<string, unknown>).reason;
  }
  return `${parts.join('/')}/..`;
};

/** A 409 endpoint error, e.g. endpointError(res, { '.tag': 'path', path: { '.tag': 'not_found' } }). */
export function endpointError(res: Response, error: Tagged): void {
  res.status(409).json({ error_summary: summaryOf(error), error });
}

/** A LookupError / WriteError leaf under a union member (`path`, `path_lookup`, ...). */
export const lookup = (member: string, leaf: Tagged): Tagged => ({ '.tag': member, [member]: leaf });
export const notFound = (member = 'path') => lookup(member, { '.tag': 'not_found' });
export const conflict = (kind: 'file' | 'folder', member = 'path'): Tagged =>
  lookup(member, { '.tag': 'conflict', conflict: { '.tag': kind } });

/** A 400 for malformed input, as Dropbox answers it (text). */
export function badInput(res: Response, endpoint: string, message: string): void {
  res.status(400).type('text/plain').send(`Error in call to API function "${endpoint}": ${message}`);
}

export function unauthorized(res: Response, tag: 'expired_access_token' | 'invalid_access_token'): void {
  res.status(401).json({ error_summary: `${tag}/..`, error: { '.tag': tag } });
}

export const dropboxFaultResponses: FaultResponses = {
  throttled(res, retryAfterSeconds) {
    res
      .status(429)
      .set('Retry-After', String(retryAfterSeconds))
      .json({
        error_summary: 'too_many_requests/..',
        error: { reason: { '.tag': 'too_many_requests' }, retry_after: retryAfterSeconds },
      });
  },
  serverError(res) {
    res.status(500).type('text/plain').send('Internal Server Error');
  },
};
