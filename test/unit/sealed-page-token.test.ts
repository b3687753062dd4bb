// The sealer behind the API's file-listing page tokens: round trips, bindings, expiry, keys.
import { randomBytes } from 'node:crypto';
import { createPageTokenSealer, type PageTokenBinding } from '../../common/sealed-page-token';

const binding: PageTokenBinding = {
  accountId: 'acc_1',
  connectionId: 'conn_1',
  path: '/Docs',
  recursive: false,
};
const key = randomBytes(32);

describe('sealed page tokens', () => {
  it('give back what they seal, base64url or not, and hide it', () => {
    const sealer = createPageTokenSealer([key]);
    const inner = Buffer.from(JSON.stringify({ c: 'https://graph.example/v1.0/me' })).toString('base64url');
    for (const value of [inner, 'not base64url: ünïcode / +=', 'QQ=', '', 'a']) {
      const token = sealer.seal(value, binding);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(sealer.open(token, binding)).toEqual({ ok: true, inner: value });
    }
    const token = sealer.seal(inner, binding);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('graph.example');
    // Fresh IVs: the same content never seals to the same token.
    expect(sealer.seal(inner, binding)).not.toBe(token);
  });

  it('open only for the listing they were issued for', () => {
    const sealer = createPageTokenSealer([key]);
    const token = sealer.seal('abc', binding);
    for (const other of [
      { ...binding, accountId: 'acc_2' },
      { ...binding, connectionId: 'conn_2' },
      { ...binding, path: '/docs' },
      { ...binding, recursive: true },
      // Fields are length-prefixed: moving a character between two fields is another listing.
      { ...binding, accountId: 'acc_1c', connectionId: 'onn_1' },
    ]) {
      expect(sealer.open(token, other)).toEqual({ ok: false, reason: 'listing' });
    }
  });

  it('expire after their lifetime', () => {
    let now = 1_700_000_000_000;
    const sealer = createPageTokenSealer([key], { ttlSeconds: 60, now: () => now });
    const token = sealer.seal('abc', binding);
    now += 59_000;
    expect(sealer.open(token, binding).ok).toBe(true);
    now += 1_000;
    expect(sealer.open(token, binding)).toEqual({ ok: false, reason: 'expired' });
  });

  it('are malformed when altered or sealed under another key', () => {
    const sealer = createPageTokenSealer([key]);
    const token = sealer.seal('abcdef', binding);
    const raw = Buffer.from(token, 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const altered = Buffer.from(raw);
      altered[i]! ^= 1;
      expect(sealer.open(altered.toString('base64url'), binding)).toEqual({ ok: false, reason: 'malformed' });
    }
    const last = token[token.length - 1]!;
    const respelled = token.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) ^ 1);
    for (const bad of ['', '!', token.slice(0, 20), `${token}A`, `${token}AA`, `${token}=`, respelled]) {
      expect(sealer.open(bad, binding)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(createPageTokenSealer([randomBytes(32)]).open(token, binding).ok).toBe(false);
    // Without a configured key each sealer has its own.
    const own = createPageTokenSealer([]);
    expect(createPageTokenSealer([]).open(own.seal('abc', binding), binding).ok).toBe(false);
    // Keyed from the same secret, any process opens any other's tokens.
    expect(createPageTokenSealer([key]).open(token, binding)).toEqual({ ok: true, inner: 'abcdef' });
  });

  it('open under every key of the keyring and are sealed under the first (rotation)', () => {
    const old = createPageTokenSealer([key]);
    const fresh = randomBytes(32);
    const rotated = createPageTokenSealer([fresh, key]);
    expect(rotated.open(old.seal('before', binding), binding)).toEqual({ ok: true, inner: 'before' });
    const after = rotated.seal('after', binding);
    expect(createPageTokenSealer([fresh]).open(after, binding)).toEqual({ ok: true, inner: 'after' });
    expect(old.open(after, binding)).toEqual({ ok: false, reason: 'malformed' });
  });
});
