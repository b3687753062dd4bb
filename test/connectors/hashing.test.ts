// Streaming hashers against published vectors and independent computations.
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHasher, DROPBOX_BLOCK_SIZE, HashingPassThrough, type Hasher } from '../../common/hashing';

/** Feeds `data` to `hasher` in chunks of `chunk` bytes. */
function hashInChunks(hasher: Hasher, data: Buffer, chunk: number): string {
  for (let i = 0; i < data.length; i += chunk) hasher.update(data.subarray(i, i + chunk));
  return hasher.digest();
}

/** QuickXorHash straight from its definition: a 160-bit BigInt, byte i XORed at bit (i*11) mod 160. */
function naiveQuickXor(data: Buffer): string {
  const mask = (1n << 160n) - 1n;
  let acc = 0n;
  for (let i = 0; i < data.length; i++) {
    const shift = BigInt((i * 11) % 160);
    const v = BigInt(data[i]) << shift;
    acc ^= (v & mask) | (v >> 160n); // rotate the bits that spill past bit 159 back to bit 0
  }
  const out = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) out[i] = Number((acc >> BigInt(8 * i)) & 0xffn);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(data.length));
  for (let i = 0; i < 8; i++) out[12 + i] ^= len[i];
  return out.toString('base64');
}

describe('quickxor', () => {
  it('matches the known vector for 20,000,000 zero bytes', () => {
    const hasher = createHasher('quickxor');
    const zeros = Buffer.alloc(1_000_000);
    for (let i = 0; i < 20; i++) hasher.update(zeros);
    expect(hasher.digest()).toBe('AAAAAAAAAAAAAAAAAC0xAQAAAAA=');
  });

  // A few of the published vectors in rclone's backend/onedrive/quickxorhash/quickxorhash_test.go.
  const vectors: [string, string][] = [
    ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
    ['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
    ['2fuxhBJXtpWFe8dOfdGeHw==', 'O9tHLAghgSvYohKFyMMxnNCHaHg='],
    ['T6LYJIfDh81JrAK309H2JMJTXis=', 'zBTHrspn3mEcohlJdIUAbjGNaNg='],
    [
      // 222 bytes: wraps past bit 159.
      'PfxMcUd0vIW6VbHG/uj/Y0W6qEoKmyBD0nYebEKazKaKG+UaDqBEcmQjbfQeVnVLuodMoPp7P7TR1htX5n2VnkHh22' +
        'xDyoJ8C/ZQKiSNqQfXvh83judf4RVr9exJCud8Uvgip6aVZTaPrJHVjQhMCp/dEnGvqg0oN5OVkM2qqAXvA0teKUDh' +
        'gNM71sDBVBCGXxNOR2bpbD1iM4dnuT0ey4L+loXEHTL0fqMeUcEi2asgImnlNakwenDzz0x57aBwyq3AspCFGB1ncX' +
        '4yYCr/OaCcS5OKi/00WH+wNQU3',
      'QX/YEpG0gDsmhEpCdWhsxDzsfVE=',
    ],
  ];
  it.each(vectors)('matches the published vector %#', (input, expected) => {
    const data = Buffer.from(input, 'base64');
    const h = createHasher('quickxor');
    h.update(data);
    expect(h.digest()).toBe(expected);
    expect(hashInChunks(createHasher('quickxor'), data, 1)).toBe(expected);
  });

  it('agrees with a direct bit-level computation across the 160-byte wrap, in any chunking', () => {
    for (const size of [159, 160, 161, 333, 1000, 4099]) {
      const data = randomBytes(size);
      const expected = naiveQuickXor(data);
      for (const chunk of [1, 7, 160, 1024, size]) {
        expect(hashInChunks(createHasher('quickxor'), data, chunk)).toBe(expected);
      }
    }
  });
});

describe('dropbox_content_hash', () => {
  /** Independent computation: hash each 4 MiB slice of the whole buffer, then hash the digests. */
  function reference(data: Buffer): string {
    const blocks: Buffer[] = [];
    for (let i = 0; i < data.length; i += DROPBOX_BLOCK_SIZE) {
      blocks.push(
        createHash('sha256')
          .update(data.subarray(i, i + DROPBOX_BLOCK_SIZE))
          .digest(),
      );
    }
    return createHash('sha256').update(Buffer.concat(blocks)).digest('hex');
  }

  it('is SHA-256 of nothing for an empty input', () => {
    expect(createHasher('dropbox_content_hash').digest()).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it.each([
    1,
    DROPBOX_BLOCK_SIZE - 1,
    DROPBOX_BLOCK_SIZE,
    DROPBOX_BLOCK_SIZE + 1,
    2 * DROPBOX_BLOCK_SIZE + 12_345,
  ])('matches an independent computation for %d bytes, chunked across block boundaries', (size) => {
    const data = randomBytes(size);
    const expected = reference(data);
    expect(hashInChunks(createHasher('dropbox_content_hash'), data, 1_000_003)).toBe(expected);
    expect(hashInChunks(createHasher('dropbox_content_hash'), data, DROPBOX_BLOCK_SIZE)).toBe(expected);
    // The single-block case is simply SHA-256 of SHA-256.
    if (size <= DROPBOX_BLOCK_SIZE) {
      const inner = createHash('sha256').update(data).digest();
      expect(expected).toBe(createHash('sha256').update(inner).digest('hex'));
    }
  });
});

describe('md5, sha1, sha256', () => {
  it.each(['md5', 'sha1', 'sha256'] as const)('%s equals the one-shot hex digest', (alg) => {
    const data = randomBytes(100_000);
    expect(hashInChunks(createHasher(alg), data, 999)).toBe(createHash(alg).update(data).digest('hex'));
  });
});

describe('HashingPassThrough', () => {
  it('passes bytes through unchanged while counting and hashing them', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const hashing = new HashingPassThrough(['md5', 'sha256', 'quickxor', 'dropbox_content_hash']);
    const received: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received.push(chunk);
        cb();
      },
    });
    const chunks = Array.from({ length: Math.ceil(data.length / 65_536) }, (_, i) =>
      data.subarray(i * 65_536, (i + 1) * 65_536),
    );
    await pipeline(Readable.from(chunks), hashing, sink);
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect(hashing.bytes).toBe(data.length);
    expect(hashing.digest('md5')).toBe(createHash('md5').update(data).digest('hex'));
    expect(hashing.digest('sha256')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(hashing.digest('quickxor')).toBe(hashOnce('quickxor', data));
    expect(hashing.digest('dropbox_content_hash')).toBe(hashOnce('dropbox_content_hash', data));
    expect(() => hashing.digest('sha1')).toThrow('was not asked to compute sha1');
  });

  it('refuses a digest before the stream has finished', () => {
    const hashing = new HashingPassThrough(['md5']);
    new PassThrough().pipe(hashing);
    hashing.write(Buffer.from('abc'));
    expect(hashing.bytes).toBe(3);
    expect(() => hashing.digest('md5')).toThrow('before the stream finished');
    hashing.destroy();
  });
});

function hashOnce(alg: 'quickxor' | 'dropbox_content_hash', data: Buffer): string {
  const h = createHasher(alg);
  h.update(data);
  return h.digest();
}
