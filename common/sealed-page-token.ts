// Sealed page tokens: what the API hands out when a list's position is something a client must not be
// able to forge — a connector's own page token, which holds a service's cursor or next-page link. The
// inner token is encrypted and authenticated (AES-256-GCM) under a key derived with HKDF-SHA256 for this
// purpose alone, so it is opaque and cannot be altered; the plaintext binds it to the listing it
// continues (a digest of account, connection, path and recursive flag) and carries its expiry.
//
// Layout, base64url: version (1) | iv (12) | tag (16) | ciphertext of
//   expires at, unix seconds (4) | binding digest (16) | encoding (1) | inner token
// where encoding 1 means the inner token was canonical base64url and is stored as its bytes (the
// connectors' tokens are), 0 that it is stored as UTF-8 text.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const INFO = 'migrateclouds page tokens v1';
const HEADER = 1 + 12 + 16;
const BODY_HEADER = 4 + 16 + 1;

/** What a token continues: every field must match when it comes back. */
export interface PageTokenBinding {
  accountId: string;
  connectionId: string;
  path: string;
  recursive: boolean;
}

export type OpenedPageToken =
  | { ok: true; inner: string }
  /** malformed: not ours, altered, or sealed under another key; listing: issued for another binding. */
  | { ok: false; reason: 'malformed' | 'listing' | 'expired' };

export interface PageTokenSealer {
  readonly ttlSeconds: number;
  seal(inner: string, binding: PageTokenBinding): string;
  open(token: string, binding: PageTokenBinding): OpenedPageToken;
}

export interface SealerOptions {
  /** How long a token is accepted after it was issued. */
  ttlSeconds?: number;
  now?: () => number;
}

export const PAGE_TOKEN_TTL_SECONDS = 3600;

/**
 * A sealer keyed from `secrets` (32-byte encryption keys: the first seals, every one opens, so tokens
 * issued before a key rotation still work), or, with none, from a random key of this process: its tokens
 * are then good only on the process that issued them.
 */
export function createPageTokenSealer(
  secrets: readonly Buffer[],
  options: SealerOptions = {},
): PageTokenSealer {
  const keys = (secrets.length > 0 ? secrets : [randomBytes(32)]).map((secret) =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO, 32)),
  );
  const key = keys[0]!;
  const ttlSeconds = options.ttlSeconds ?? PAGE_TOKEN_TTL_SECONDS;
  const now = options.now ?? (() => Date.now());
  const aad = Buffer.from(INFO, 'utf8');

  return {
    ttlSeconds,
    seal(inner, binding) {
      const asBytes = Buffer.from(inner, 'base64url');
      const compact = asBytes.toString('base64url') === inner;
      const body = Buffer.alloc(BODY_HEADER);
      body.writeUInt32BE(Math.floor(now() / 1000) + ttlSeconds, 0);
      digestOf(binding).copy(body, 4);
      body.writeUInt8(compact ? 1 : 0, 20);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const encrypted = Buffer.concat([
        cipher.update(body),
        cipher.update(compact ? asBytes : Buffer.from(inner, 'utf8')),
        cipher.final(),
      ]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), encrypted]).toString(
        'base64url',
      );
    },
    open(token, binding) {
      const body = keys.reduce<Buffer | null>((found, k) => found ?? decrypt(k, aad, token), null);
      if (!body || body.length < BODY_HEADER || body[20]! > 1) return { ok: false, reason: 'malformed' };
      if (!body.subarray(4, 20).equals(digestOf(binding))) return { ok: false, reason: 'listing' };
      if (body.readUInt32BE(0) * 1000 <= now()) return { ok: false, reason: 'expired' };
      const rest = body.subarray(BODY_HEADER);
      return { ok: true, inner: body[20] === 1 ? rest.toString('base64url') : rest.toString('utf8') };
    },
  };
}

function decrypt(key: Buffer, aad: Buffer, token: string): Buffer | null {
  const raw = Buffer.from(token, 'base64url');
  // Canonical base64url only: one token, one spelling.
  if (raw.toString('base64url') !== token) return null;
  if (raw.length < HEADER + BODY_HEADER || raw[0] !== VERSION) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 13));
    decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(13, HEADER));
    return Buffer.concat([decipher.update(raw.subarray(HEADER)), decipher.final()]);
  } catch {
    return null;
  }
}

/** 16 bytes naming the listing; fields are length-prefixed so no two bindings share an encoding. */
function digestOf(b: PageTokenBinding): Buffer {
  const hash = createHash('sha256');
  for (const field of [b.accountId, b.connectionId, b.path, b.recursive ? '1' : '0']) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest().subarray(0, 16);
}
