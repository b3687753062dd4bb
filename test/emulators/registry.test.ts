// Every emulator in the registry starts, seeds and answers its control API over HTTP.
import { EMULATORS } from '../../emulators';

describe.each(EMULATORS)('$label emulator', (spec) => {
  it('starts on a random port, seeds, counts and stops', async () => {
    const emulator = await spec.start({ port: 0 });
    try {
      emulator.seed({ seed: 7, files: 12, folders: 3 });
      const grant = await fetch(`${emulator.url}/_emulator/tokens/grant`, { method: 'POST' });
      expect(grant.status).toBe(200);
      expect(await grant.json()).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
      });
      const counters = await (await fetch(`${emulator.url}/_emulator/counters`)).json();
      expect(counters).toMatchObject({ total: 0, throttled: 0 });
    } finally {
      await emulator.close();
    }
  });
});
