// How a bearer secret (API key, session or sign-in link token, OAuth state) is kept at rest: its SHA-256 in
// hex. The secrets carry ≥ 238 random bits, so a fast hash is enough; a slow KDF is for passwords only.
import { createHash } from 'node:crypto';

export const hashSecret = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
