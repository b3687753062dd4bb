// Base62, the alphabet of every id. Pure: safe in workflow code.

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` base62 digits of a hex number (a hash or a uuid): derived ids shaped like random ones. */
export function base62FromHex(hex: string, length: number): string {
  let n = BigInt(`0x${hex}`);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}
