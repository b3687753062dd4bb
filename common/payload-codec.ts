// Encrypts every payload Temporal stores — workflow inputs and results, activity arguments, heartbeat
// details, failures' encoded attributes — so paths, file names, errors and upload URLs are ciphertext in
// history. AES-256-GCM under an HKDF subkey of the deployment's current key (never the secret box's own
// key); the key id travels in the payload's metadata, so values sealed before a rotation still open.
// Payloads without our encoding (histories recorded before encryption) pass through unchanged.
//
// Encrypted payload: metadata { encoding: "binary/encrypted", "encryption-key-id": id },
// data = iv (12) | ciphertext | tag (16) of the original payload as JSON
//   { m: { key: base64 value }, d: base64 data }.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { subkey, type Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const PURPOSE = 'temporal payloads v1';

export class PayloadCodecError extends Error {}

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const fromBytes = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? []).toString('utf8');

function serialize(p: Payload): Buffer {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) m[k] = Buffer.from(v ?? []).toString('base64');
  return Buffer.from(JSON.stringify({ m, d: Buffer.from(p.data ?? []).toString('base64') }), 'utf8');
}

function deserialize(bytes: Buffer): Payload {
  const { m, d } = JSON.parse(bytes.toString('utf8')) as { m: Record<string, string>; d: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(m)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(d, 'base64')) };
}

export const isEncrypted = (p: Payload): boolean => fromBytes(p.metadata?.encoding) === ENCRYPTED_ENCODING;

export function createPayloadCodec(keyring: Keyring): PayloadCodec {
  const keys = new Map([...keyring.byId].map(([id, key]) => [id, subkey(key, PURPOSE)]));
  const current = { id: keyring.current.id, key: subkey(keyring.current.key, PURPOSE) };
  const encrypt = (p: Payload): Payload => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    const body = Buffer.concat([cipher.update(serialize(p)), cipher.final()]);
    return {
      metadata: { encoding: text(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text(current.id) },
      data: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])),
    };
  };
  const decrypt = (p: Payload): Payload => {
    if (!isEncrypted(p)) return p;
    const id = fromBytes(p.metadata?.[KEY_ID_METADATA]);
    const key = keys.get(id);
    if (!key)
      throw new PayloadCodecError(`Payload encrypted under key ${id || '(none)'}, which is not configured`);
    const data = Buffer.from(p.data ?? []);
    if (data.length < 28) throw new PayloadCodecError('Encrypted payload is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return deserialize(
        Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]),
      );
    } catch {
      throw new PayloadCodecError(`Encrypted payload does not open with key ${id}`);
    }
  };
  return {
    // Already-encrypted payloads are not wrapped twice (a codec endpoint may be sent either).
    encode: async (payloads) => payloads.map((p) => (isEncrypted(p) ? p : encrypt(p))),
    decode: async (payloads) => payloads.map(decrypt),
  };
}

/** Encodes failures' messages and stack traces, so the payload codec encrypts them. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter for every Temporal client and worker: encrypting when a key is configured. */
export function encryptingDataConverter(
  keyring: Keyring | undefined,
): { payloadCodecs: PayloadCodec[]; failureConverterPath: string } | undefined {
  return keyring
    ? {
        payloadCodecs: [createPayloadCodec(keyring)],
        failureConverterPath: FAILURE_CONVERTER_PATH,
      }
    : undefined;
}
