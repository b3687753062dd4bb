// Encrypts connection credentials and webhook secrets at rest with AES-256-GCM. The keys come from the
// deployment's keyring (common/keyring.ts: MIGRATECLOUDS_ENCRYPTION_KEYS, or MIGRATECLOUDS_ENCRYPTION_KEY
// alone); each value gets a fresh IV, names the key it was sealed under, and binds the connection or
// webhook id in as associated data so a ciphertext cannot be moved to another row.
//   v2.<key id>.<iv>.<tag>.<ciphertext>   (base64url parts)
// Values sealed before key ids (`v1.<iv>.<tag>.<ciphertext>`) open with whichever key of the ring sealed
// them; `admin rotate-key` re-seals everything under the current key (reseal()).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyringError, parseKey, parseKeyring, type Keyring } from './keyring';

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /** The value sealed under the current key, or undefined when it already is. Throws if it does not open. */
  reseal(sealed: string, context: string): string | undefined;
}

export class SecretBoxError extends Error {}

export function parseEncryptionKey(value: string): Buffer {
  try {
    return parseKey(value);
  } catch (err) {
    throw err instanceof KeyringError ? new SecretBoxError(err.message) : err;
  }
}

export const generateEncryptionKey = (): string => randomBytes(32).toString('base64');

const b64 = (s: string) => Buffer.from(s, 'base64url');

function openWith(key: Buffer, iv: string, tag: string, body: string, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, b64(iv));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(b64(tag));
  return Buffer.concat([decipher.update(b64(body)), decipher.final()]).toString('utf8');
}

/** A box over a keyring, or over one key (its id derived from it). */
export function createSecretBox(keys: string | Keyring): SecretBox {
  let ring: Keyring;
  try {
    ring = typeof keys === 'string' ? parseKeyring(keys) : keys;
  } catch (err) {
    throw err instanceof KeyringError ? new SecretBoxError(err.message) : err;
  }
  const { id: currentId, key: currentKey } = ring.current;
  // Never say which of wrong key, tampered text or another row's secret it was.
  const refused = () => new SecretBoxError('Sealed secret cannot be opened with this key');
  const open = (sealed: string, context: string): string => {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, id, iv, tag, body] = parts as [string, string, string, string, string];
      const key = ring.byId.get(id);
      if (!key) throw new SecretBoxError(`Sealed secret is under key ${id}, which is not configured`);
      try {
        return openWith(key, iv, tag, body, context);
      } catch {
        throw refused();
      }
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, body] = parts as [string, string, string, string];
      for (const key of ring.byId.values()) {
        try {
          return openWith(key, iv, tag, body, context);
        } catch {
          // the next key, if any
        }
      }
      throw refused();
    }
    throw new SecretBoxError('Malformed sealed secret');
  };
  const seal = (plaintext: string, context: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', currentId, ...[iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join(
      '.',
    );
  };
  return {
    seal,
    open,
    reseal(sealed, context) {
      if (sealed.startsWith(`v2.${currentId}.`)) return undefined;
      return seal(open(sealed, context), context);
    },
  };
}
