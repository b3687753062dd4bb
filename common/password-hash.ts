// Password hashing with Node's built-in scrypt (memory-hard, no native dependency). The encoded string
// names its version and parameters, so they can be raised later and old hashes still verify:
//   scrypt$1$N=32768,r=8,p=1$<salt base64url>$<key base64url>
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
const FORMAT = /^scrypt\$1\$N=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/;

function derive(password: string, salt: Buffer, opts: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is exactly N=2^15, r=8: leave headroom.
  const options: ScryptOptions = { ...opts, maxmem: 256 * opts.N * opts.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS);
  const { N, r, p } = PARAMS;
  return `scrypt$1$N=${N},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash of nothing in particular, to spend the same time when there is no user to check against. */
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `encoded` (constant-time compare). With no hash (unknown email, or a user
 * without a password) it still does the work of one check, so timing does not tell whether an email exists.
 */
export async function verifyPassword(password: string, encoded: string | null | undefined): Promise<boolean> {
  const m = FORMAT.exec(encoded ?? '');
  if (!m) {
    decoy ??= hashPassword('decoy password never used');
    await verifyPassword(password, await decoy);
    return false;
  }
  const [, N, r, p, salt, expected] = m;
  const want = Buffer.from(expected!, 'base64url');
  const got = await derive(password, Buffer.from(salt!, 'base64url'), { N: +N!, r: +r!, p: +p! });
  return got.length === want.length && timingSafeEqual(got, want);
}
