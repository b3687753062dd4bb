// The payload codec: what Temporal stores is ciphertext under the current key, with its key id; any
// configured key opens it, so a rotation leaves running workflows readable; payloads recorded before
// encryption pass through; a payload under an unknown key or altered never opens.
import { defaultPayloadConverter } from '@temporalio/common';
import { parseKeyring, keyringFromSettings, derivedKeyId, parseKey } from '../../common/keyring';
import { createPayloadCodec, isEncrypted, KEY_ID_METADATA } from '../../common/payload-codec';

const A = Buffer.alloc(32, 1).toString('base64');
const B = Buffer.alloc(32, 2).toString('hex');
const input = { path: '/Clients/Acme/contract-2026.pdf', accountId: 'acc_1' };
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v)!;
const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('latin1');

it('encrypts under the current key, names it, and round-trips', async () => {
  const codec = createPayloadCodec(parseKeyring(`a:${A}`));
  const [sealed] = await codec.encode([toPayload(input)]);
  expect(isEncrypted(sealed!)).toBe(true);
  expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('a');
  expect(text(sealed!.data)).not.toContain('contract-2026');
  expect(text(sealed!.data)).not.toContain('json/plain');
  const [clear] = await codec.decode([sealed!]);
  expect(defaultPayloadConverter.fromPayload(clear!)).toEqual(input);
});

it('opens values sealed under an older key after a rotation, and seals new ones under the new key', async () => {
  const [old] = await createPayloadCodec(parseKeyring(`a:${A}`)).encode([toPayload(input)]);
  const rotated = createPayloadCodec(parseKeyring(`b:${B},a:${A}`));
  expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(input);
  const [fresh] = await rotated.encode([toPayload(input)]);
  expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('b');
  await expect(createPayloadCodec(parseKeyring(`a:${A}`)).decode([fresh!])).rejects.toThrow(
    /key b, which is not configured/,
  );
});

it('passes unencrypted payloads through (histories recorded before encryption replay)', async () => {
  const codec = createPayloadCodec(parseKeyring(`a:${A}`));
  const plain = toPayload(input);
  expect(await codec.decode([plain])).toEqual([plain]);
  // Encoding an already-encrypted payload leaves it as it is.
  const [sealed] = await codec.encode([plain]);
  expect(await codec.encode([sealed!])).toEqual([sealed]);
});

it('refuses an altered payload', async () => {
  const codec = createPayloadCodec(parseKeyring(`a:${A}`));
  const [sealed] = await codec.encode([toPayload(input)]);
  const data = Buffer.from(sealed!.data!);
  data[20] ^= 1;
  await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/does not open with key a/);
});

it('uses a key of its own, not the secret box key itself', async () => {
  // A payload key derived with HKDF: the raw key never touches a payload.
  const codec = createPayloadCodec(parseKeyring(`a:${A}`));
  const [sealed] = await codec.encode([toPayload(input)]);
  const { createDecipheriv } = await import('node:crypto');
  const d = Buffer.from(sealed!.data!);
  const decipher = createDecipheriv('aes-256-gcm', parseKey(A), d.subarray(0, 12));
  decipher.setAuthTag(d.subarray(d.length - 16));
  decipher.update(d.subarray(12, d.length - 16));
  expect(() => decipher.final()).toThrow();
});

it('reads the keyring from configuration', () => {
  expect(keyringFromSettings({})).toBeUndefined();
  const single = keyringFromSettings({ MIGRATECLOUDS_ENCRYPTION_KEY: A })!;
  expect(single.current.id).toBe(derivedKeyId(parseKey(A)));
  const ring = keyringFromSettings({
    MIGRATECLOUDS_ENCRYPTION_KEYS: `b:${B}, a:${A}`,
    MIGRATECLOUDS_ENCRYPTION_KEY: A,
  })!;
  expect(ring.current.id).toBe('b');
  expect([...ring.byId.keys()]).toEqual(['b', 'a']);
  expect(() => parseKeyring(`a:${A},a:${B}`)).toThrow(/appears twice/);
  expect(() => parseKeyring('a:short')).toThrow(/32 bytes/);
  expect(() => parseKeyring(`a b:${A}`)).toThrow(/Key ids/);
});
