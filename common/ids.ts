// Random ids and secrets. Ids carry a type prefix so a misplaced id is obvious in logs.
import { randomBytes } from 'node:crypto';
import { BASE62 } from './base62';

/** Uniform base62 string from rejection-sampled random bytes (no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export type IdPrefix = 'acc' | 'key' | 'conn' | 'mig' | 'syn' | 'wh' | 'evt' | 'dlv' | 'usr' | 'ses';

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomBase62(20)}`;
