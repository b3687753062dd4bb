import { createCipheriv, randomBytes } from 'node:crypto';
import { createSecretBox, generateEncryptionKey, SecretBoxError } from '../../common/secret-box';
import { derivedKeyId, parseKey } from '../../common/keyring';

describe('secret box (AES-256-GCM)', () => {
  const key = generateEncryptionKey();
  const box = createSecretBox(key);

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const secret = JSON.stringify({ refresh_token: 'rt.very-secret' });
    const a = box.seal(secret, 'conn_1');
    const b = box.seal(secret, 'conn_1');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('very-secret');
    expect(box.open(a, 'conn_1')).toBe(secret);
  });

  it('refuses another context, a tampered text and another key', () => {
    const sealed = box.seal('x', 'conn_1');
    expect(() => box.open(sealed, 'conn_2')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('y').toString('base64url');
    expect(() => box.open(parts.join('.'), 'conn_1')).toThrow(SecretBoxError);
    expect(() => createSecretBox(generateEncryptionKey()).open(sealed, 'conn_1')).toThrow(SecretBoxError);
  });

  it('accepts 32-byte keys as hex or base64 and rejects others', () => {
    expect(() => createSecretBox('ab'.repeat(32))).not.toThrow();
    expect(() => createSecretBox(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('names its key, opens values of older keys of the ring, and re-seals them under the current one', () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const old = createSecretBox(a).seal('tokens', 'conn_1');
    expect(old.startsWith(`v2.${derivedKeyId(parseKey(a))}.`)).toBe(true);
    const ring = createSecretBox(`b:${b},${a}`);
    expect(ring.open(old, 'conn_1')).toBe('tokens');
    const fresh = ring.reseal(old, 'conn_1')!;
    expect(fresh).toMatch(/^v2\.b\./);
    expect(ring.open(fresh, 'conn_1')).toBe('tokens');
    expect(ring.reseal(fresh, 'conn_1')).toBeUndefined();
    expect(() => createSecretBox(a).open(fresh, 'conn_1')).toThrow(/key b, which is not configured/);
  });

  it('opens values sealed before key ids (v1) with the key that sealed them', () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', parseKey(a), iv);
    cipher.setAAD(Buffer.from('wh_1'));
    const body = Buffer.concat([cipher.update('whsec', 'utf8'), cipher.final()]);
    const legacy = ['v1', iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
    expect(createSecretBox(a).open(legacy, 'wh_1')).toBe('whsec');
    const ring = createSecretBox(`b:${b},a:${a}`);
    expect(ring.open(legacy, 'wh_1')).toBe('whsec');
    expect(ring.reseal(legacy, 'wh_1')).toMatch(/^v2\.b\./);
    expect(() => createSecretBox(b).open(legacy, 'wh_1')).toThrow(SecretBoxError);
  });
});
