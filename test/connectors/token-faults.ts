// What every cloud connector does about its tokens, checked the same way for each: a forced expiry
// costs one transparent refresh that the caller hears of, a connection without an access token fetches
// one first, and a revoked refresh token is fatal_connection asking for re-authorization.
import { type CloudEmulator, type CloudSpec, connect, type EmulatorHandle } from './cloud-targets';
import { expectKind } from './local-helpers';

export function describeTokenFaults<E extends CloudEmulator>(spec: CloudSpec<E>, h: EmulatorHandle<E>): void {
  describe(`${spec.service} tokens`, () => {
    it('refreshes an expired access token transparently, once, and reports the new one', async () => {
      const { c, refreshToken, issued } = connect(spec, h.emu);
      await c.mkdir('/a');
      expect(await h.control.expireTokens()).toBeGreaterThan(0);
      expect((await c.list('/')).entries.map((e) => e.name)).toEqual(['a']);
      expect(issued).toHaveLength(1);
      expect(issued[0]).toMatchObject({ refreshToken, accessToken: expect.stringMatching(/^at\./) });
      expect(Date.parse(issued[0]!.expiresAt!)).toBeGreaterThan(Date.now());
      expect((await c.stat('/a')).type).toBe('folder');
      expect(issued).toHaveLength(1);
    });

    it('fetches an access token first when it starts without one', async () => {
      const { c, issued } = connect(spec, h.emu, { accessToken: null });
      expect((await c.list('/')).entries).toEqual([]);
      expect(issued).toHaveLength(1);
    });

    it('answers fatal_connection, asking for re-authorization, once the refresh token is revoked', async () => {
      const { c, refreshToken, issued } = connect(spec, h.emu);
      expect(await h.control.revoke(refreshToken)).toBe(true);
      await h.control.expireTokens();
      const err = await expectKind(c.list('/'), 'fatal_connection');
      expect(err.message).toContain('re-authorization');
      expect(err.needsReauth).toBe(true);
      await expectKind(c.openRead('/x.txt'), 'fatal_connection');
      expect(issued).toHaveLength(0);
    });
  });
}
