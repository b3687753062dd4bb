// Checks an `Authorization: Bearer <token>` header against a configured secret (METRICS_TOKEN) in
// constant time: both sides are hashed first, so neither the token's bytes nor its length leak by timing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}
