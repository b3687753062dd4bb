// Encrypts connection credentials at rest with AES-256-GCM. The key (32 bytes, base64 or hex) comes
// from MIGRATECLOUDS_ENCRYPTION_KEY; each value gets a fresh IV, and the connection id is bound in
// as associated data so a ciphertext cannot be moved to another connection.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export class SecretBoxError extends Error {}

export function parseEncryptionKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new SecretBoxError('MIGRATECLOUDS_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  return key;
}

export const generateEncryptionKey = (): string => randomBytes(32).toString('base64');

export function createSecretBox(keyText: string): SecretBox {
  const key = parseEncryptionKey(keyText);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined)
        throw new SecretBoxError('Malformed sealed secret');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        // Wrong key, tampered text or another connection's secret: never say which.
        throw new SecretBoxError('Sealed secret cannot be opened with this key');
      }
    },
  };
}
