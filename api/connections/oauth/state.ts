// The OAuth `state`: what the callback must do (which account, service and connection), signed so that
// nobody can forge or alter it, and short-lived. Format: base64url(JSON payload) "." base64url(HMAC-SHA256),
// keyed by a key derived from MIGRATECLOUDS_ENCRYPTION_KEY (HKDF, label "oauth-state").
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidParameter } from '../../../common/errors';
import { parseEncryptionKey } from '../../../common/secret-box';
import type { ServiceName } from '../../../contract';

export const STATE_TTL_MS = 10 * 60_000;

export interface OAuthState {
  accountId: string;
  service: ServiceName;
  /** The connection to create, or (with `reauthorize`) the existing one to give new tokens. */
  connectionId: string;
  reauthorize: boolean;
  name: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  nonce: string;
}

export const deriveStateKey = (encryptionKey: string): Buffer =>
  Buffer.from(hkdfSync('sha256', parseEncryptionKey(encryptionKey), Buffer.alloc(0), 'oauth-state', 32));

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export function signState(key: Buffer, state: Omit<OAuthState, 'nonce'>): string {
  const payload = Buffer.from(
    JSON.stringify({ ...state, nonce: randomBytes(16).toString('base64url') }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const restart = (service: string) =>
  `Start again with GET /v1/connections/oauth/${service}/authorize and follow its authorization_url.`;

/** The state's payload, or `invalid_parameter` naming `state` when forged, altered, expired or for another service. */
export function verifyState(key: Buffer, token: string, service: ServiceName, now = Date.now()): OAuthState {
  const [payload, signature, extra] = token.split('.');
  const given = Buffer.from(signature ?? '', 'base64url');
  const expected = payload ? mac(key, payload) : Buffer.alloc(0);
  if (
    !payload ||
    extra !== undefined ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    throw invalidParameter('state', 'is not a state this server issued', restart(service));
  }
  const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OAuthState;
  if (state.expiresAt <= now) {
    throw invalidParameter(
      'state',
      'has expired (an authorization must finish within 10 minutes)',
      restart(service),
    );
  }
  if (state.service !== service) {
    throw invalidParameter('state', `was issued for ${state.service}, not ${service}`, restart(service));
  }
  return state;
}
