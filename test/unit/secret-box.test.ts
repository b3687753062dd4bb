import { createSecretBox, generateEncryptionKey, SecretBoxError } from '../../common/secret-box';

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
});
