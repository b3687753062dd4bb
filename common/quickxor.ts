// OneDrive's QuickXorHash: a 160-bit accumulator where byte i is XORed in at bit (i * 11) mod 160
// (wrapping), then the 64-bit little-endian length is XORed into bytes 12–19; base64 of the 20 bytes.
//
// Byte i's shift depends only on i mod 160 (160 * 11 ≡ 0 mod 160), and XOR is linear, so we fold the
// stream into 160 lanes by position (a tight byte loop) and apply the shifts once, at digest time.

const WIDTH = 160;
const SHIFT = 11;

export class QuickXorHash {
  private readonly lanes = new Uint8Array(WIDTH);
  private lane = 0;
  private length = 0;

  update(data: Uint8Array): this {
    const lanes = this.lanes;
    let lane = this.lane;
    for (let i = 0; i < data.length; i++) {
      lanes[lane] ^= data[i];
      if (++lane === WIDTH) lane = 0;
    }
    this.lane = lane;
    this.length += data.length;
    return this;
  }

  /** The 20-byte hash. */
  digestBytes(): Buffer {
    const out = Buffer.alloc(WIDTH / 8);
    for (let k = 0; k < WIDTH; k++) {
      const b = this.lanes[k];
      if (b === 0) continue;
      const bit = (k * SHIFT) % WIDTH;
      const byte = bit >> 3;
      const offset = bit & 7;
      out[byte] ^= (b << offset) & 0xff;
      if (offset !== 0) out[(byte + 1) % out.length] ^= b >> (8 - offset);
    }
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(this.length));
    for (let i = 0; i < 8; i++) out[12 + i] ^= length[i];
    return out;
  }

  digest(): string {
    return this.digestBytes().toString('base64');
  }
}
