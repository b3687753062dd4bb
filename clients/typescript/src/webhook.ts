// Checks a webhook request as docs/guides/webhooks.md says: MigrateClouds-Signature is
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint's secret>"; the HMAC is
// compared in constant time and a timestamp further than the tolerance (five minutes) from now is refused,
// so a captured request cannot be replayed later.
import crypto from 'node:crypto';

export interface WebhookEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export interface VerifyOptions {
  /** Largest distance between the signature's time and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in milliseconds (default Date.now()). */
  now?: number;
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a delivery and answers its parsed event; throws WebhookVerificationError when the signature is
 * missing, malformed, wrong or stale. `body` must be the raw bytes received, before any JSON parsing.
 */
export function verifyWebhook(
  secret: string,
  headers: HeaderBag,
  body: string | Uint8Array,
  options: VerifyOptions = {},
): WebhookEvent {
  const header = headerValue(headers, 'migrateclouds-signature');
  if (!header) throw new WebhookVerificationError('No MigrateClouds-Signature header');
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const t = fields.get('t') ?? '';
  const given = fields.get('v1') ?? '';
  if (!/^\d+$/.test(t) || !/^[0-9a-f]{64}$/i.test(given))
    throw new WebhookVerificationError('Malformed MigrateClouds-Signature header');
  const tolerance = options.toleranceSeconds ?? 300;
  const age = (options.now ?? Date.now()) / 1000 - Number(t);
  if (Math.abs(age) > tolerance)
    throw new WebhookVerificationError(`Signature timestamp is ${Math.round(Math.abs(age))} s away from now`);
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(raw).digest();
  if (!crypto.timingSafeEqual(expected, Buffer.from(given, 'hex')))
    throw new WebhookVerificationError('Signature does not match the body');
  return JSON.parse(raw.toString('utf8')) as WebhookEvent;
}

/** The header "t=…,v1=…" for a body, as the server signs it (for tests and local receivers). */
export function signWebhook(
  secret: string,
  body: string | Uint8Array,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
