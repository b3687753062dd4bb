// The encryption keys of a deployment, each with an id. The first is current (new values are sealed
// under it); the others still open what they sealed, so a key can be rotated without downtime.
// MIGRATECLOUDS_ENCRYPTION_KEYS = "id:key,id:key" (key: 32 bytes, base64 or 64 hex digits); a lone
// MIGRATECLOUDS_ENCRYPTION_KEY is a keyring of one, its id derived from the key.
import { createHash, hkdfSync } from 'node:crypto';

export interface Keyring {
  /** The key new values are sealed under. */
  current: { id: string; key: Buffer };
  /** Every key that still opens values, current included. */
  byId: ReadonlyMap<string, Buffer>;
}

export class KeyringError extends Error {}

export function parseKey(value: string, name = 'MIGRATECLOUDS_ENCRYPTION_KEY'): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new KeyringError(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return key;
}

/** The id a key gets when none is given: stable, and reveals nothing of the key. */
export const derivedKeyId = (key: Buffer): string =>
  createHash('sha256').update('migrateclouds key id').update(key).digest('hex').slice(0, 8);

export function parseKeyring(keys: string): Keyring {
  const entries = keys
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry): [string, Buffer] => {
      const colon = entry.indexOf(':');
      if (colon < 0) {
        const key = parseKey(entry, 'Each key of MIGRATECLOUDS_ENCRYPTION_KEYS');
        return [derivedKeyId(key), key];
      }
      const id = entry.slice(0, colon);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
        throw new KeyringError('Key ids of MIGRATECLOUDS_ENCRYPTION_KEYS are 1-32 letters, digits, _ or -');
      return [id, parseKey(entry.slice(colon + 1), `Key ${id} of MIGRATECLOUDS_ENCRYPTION_KEYS`)];
    });
  const [first] = entries;
  if (!first) throw new KeyringError('MIGRATECLOUDS_ENCRYPTION_KEYS lists no key');
  const byId = new Map<string, Buffer>();
  for (const [id, key] of entries) {
    if (byId.has(id)) throw new KeyringError(`Key id ${id} appears twice in MIGRATECLOUDS_ENCRYPTION_KEYS`);
    byId.set(id, key);
  }
  return { current: { id: first[0], key: first[1] }, byId };
}

/** The deployment's keyring, or undefined when no key is configured (encryption off). */
export function keyringFromSettings(settings: {
  MIGRATECLOUDS_ENCRYPTION_KEYS?: string;
  MIGRATECLOUDS_ENCRYPTION_KEY?: string;
}): Keyring | undefined {
  if (settings.MIGRATECLOUDS_ENCRYPTION_KEYS) return parseKeyring(settings.MIGRATECLOUDS_ENCRYPTION_KEYS);
  if (settings.MIGRATECLOUDS_ENCRYPTION_KEY) return parseKeyring(settings.MIGRATECLOUDS_ENCRYPTION_KEY);
  return undefined;
}

/** Every key of the ring, the current one first (it seals; all of them open). */
export const keysCurrentFirst = (keyring: Keyring): Buffer[] => [
  keyring.current.key,
  ...[...keyring.byId].filter(([id]) => id !== keyring.current.id).map(([, key]) => key),
];

/** A subkey for one purpose, so no two uses of a key ever share it. */
export const subkey = (key: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `migrateclouds ${purpose}`, 32));
