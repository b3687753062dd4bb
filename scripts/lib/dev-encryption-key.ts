// The development encryption key for connection credentials: made once in the data dir (mode 0600)
// when MIGRATECLOUDS_ENCRYPTION_KEY is not set, and handed to the worker and the API by `npm start`.
import fs from 'node:fs';
import path from 'node:path';
import { generateEncryptionKey, parseEncryptionKey } from '../../common/secret-box';

export function ensureDevEncryptionKey(dataDir: string): { key: string; file: string; created: boolean } {
  const file = path.join(dataDir, 'encryption-key');
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    parseEncryptionKey(key); // a damaged file fails loudly instead of sealing with a bad key
    return { key, file, created: false };
  }
  const key = generateEncryptionKey();
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, file, created: true };
}
