// The OAuth `state` (RFC 6749 §10.12) and PKCE (RFC 7636), as this server keeps them: a state is 32
// random bytes, stored only as its SHA-256 in the store (oauth_states) beside what the callback must do
// and the PKCE code_verifier (sealed). It works once, within 10 minutes, and only in the browser that
// opened the start URL: that browser gets an HttpOnly cookie holding a nonce whose hash the state keeps.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { invalidParameter } from '../../../common/errors';
import { hashSecret } from '../../../common/secret-hash';
import type { ServiceName } from '../../../contract';
import type { OAuthStateRecord } from '../../../store/types';

export const STATE_TTL_MS = 10 * 60_000;

const random = () => randomBytes(32).toString('base64url');

export const newState = random;
export const newNonce = random;
/** RFC 7636 §4.1: 43 characters of the unreserved alphabet (base64url of 32 random bytes). */
export const newCodeVerifier = random;
/** RFC 7636 §4.2, S256. */
export const codeChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

export { hashSecret };

/** What a state decides: which account, service and connection; its verifier is sealed under this context. */
export const verifierContext = (stateHash: string) => `oauth-state:${stateHash}`;

const restart = (service: string) =>
  `Start again with GET /v1/connections/oauth/${service}/authorize and open its authorization_url in the browser that finishes it.`;

export const stateError = (service: string, reason: string) =>
  invalidParameter('state', reason, restart(service));

/**
 * The stored state for `token`, or `invalid_parameter` naming `state` when this server never issued it
 * (or forgot it), it expired, or it is for another service. Whether it was used is for the caller.
 */
export function checkState(
  record: OAuthStateRecord | undefined,
  service: ServiceName,
  now = Date.now(),
): OAuthStateRecord {
  if (!record) throw stateError(service, 'is not a state this server issued');
  if (record.service !== service)
    throw stateError(service, `was issued for ${record.service}, not ${service}`);
  if (Date.parse(record.expiresAt) <= now) {
    throw stateError(service, 'has expired (an authorization must finish within 10 minutes)');
  }
  return record;
}

/** The browser-binding cookie: one per flow, so two flows under way in one browser do not collide. */
export const cookieName = (stateHash: string) => `mc_oauth_${stateHash.slice(0, 16)}`;
const cookiePath = (service: ServiceName) => `/v1/oauth/${service}/`;

export function setBindingCookie(
  res: Response,
  opts: { service: ServiceName; stateHash: string; nonce: string; secure: boolean; maxAgeMs: number },
): void {
  const attrs = [
    `${cookieName(opts.stateHash)}=${opts.nonce}`,
    `Path=${cookiePath(opts.service)}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeMs / 1000))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(opts.secure ? ['Secure'] : []),
  ];
  res.append('Set-Cookie', attrs.join('; '));
}

export function clearBindingCookie(res: Response, service: ServiceName, stateHash: string, secure: boolean) {
  setBindingCookie(res, { service, stateHash, nonce: '', secure, maxAgeMs: 0 });
}

/** The nonce this browser holds for the state, if any. */
export function bindingNonce(req: Request, stateHash: string): string | undefined {
  const name = cookieName(stateHash);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** True when `nonce` hashes to the state's browser hash (constant time). */
export function sameBrowser(record: OAuthStateRecord, nonce: string | undefined): boolean {
  if (!nonce || !record.browserHash) return false;
  const a = Buffer.from(hashSecret(nonce), 'hex');
  const b = Buffer.from(record.browserHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
