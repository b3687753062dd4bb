// Webhook signatures: `MigrateClouds-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
// The timestamp is signed too, so a receiver that rejects old timestamps also rejects replays.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from './ids';

export const SIGNATURE_HEADER = 'MigrateClouds-Signature';
export const EVENT_HEADER = 'MigrateClouds-Event';
export const DELIVERY_HEADER = 'MigrateClouds-Delivery';

/** Receivers should refuse signatures older than this (the example in docs/guides/webhooks.md does). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const newWebhookSecret = (): string => `whsec_${randomBase62(40)}`;

const hmacHex = (secret: string, timestamp: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The header value for this body, signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * True when the header carries a v1 signature of this exact body by this secret, made no more than
 * `toleranceSeconds` before (or after, for clock skew) `nowSeconds`.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string | Buffer,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t || !/^\d{1,12}$/.test(t)) return false;
  const timestamp = Number(t);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // Several v1 values may be present (e.g. while a secret is rotated): any one matching is enough.
  return parts.some(([k, v]) => {
    if (k !== 'v1' || !v || !/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}
