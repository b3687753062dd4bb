// Wrappers around connectors (request budget, re-auth marking) are built by one generic wrapper: every
// function of every registered service's connector, its change feed's included, goes through it.
import { loadConfig } from '../../config';
import { SERVICES, wrapConnector, type Connector } from '../../connectors';

const config = loadConfig({
  MIGRATECLOUDS_LOCAL_ROOTS: '/tmp',
  GOOGLE_DRIVE_CLIENT_ID: 'id',
  GOOGLE_DRIVE_CLIENT_SECRET: 'secret',
  ONEDRIVE_CLIENT_ID: 'id',
  ONEDRIVE_CLIENT_SECRET: 'secret',
  DROPBOX_CLIENT_ID: 'id',
  DROPBOX_CLIENT_SECRET: 'secret',
});

/** Every callable member: `name` for the connector's own, `changes.name` for its change feed's. */
function callables(c: Connector): string[] {
  const own = Object.keys(c).filter(
    (k) => typeof (c as unknown as Record<string, unknown>)[k] === 'function',
  );
  const feed = c.changes
    ? Object.keys(c.changes).filter(
        (k) => typeof (c.changes as unknown as Record<string, unknown>)[k] === 'function',
      )
    : [];
  return [...own, ...feed.map((k) => `changes.${k}`)].sort();
}

describe.each(SERVICES.map((s) => [s.name, s] as const))('a wrapped %s connector', (_name, service) => {
  let inner: Connector;
  beforeAll(async () => {
    inner = await service.open({
      settings: config.services[service.name],
      config: { root: '/tmp' },
      credentials: { accessToken: 'a', refreshToken: 'r', expiresAt: null },
      saveCredentials: async () => undefined,
    });
  });

  it('routes every method, optional ones and the change feed included, through the wrapper', async () => {
    const seen: number[] = [];
    let n = 0;
    // The wrapper answers itself: the inner connector is never called (no request leaves).
    const wrapped = wrapConnector(inner, async <T>() => {
      seen.push(n++);
      return 'wrapped' as T;
    });
    const names = callables(inner);
    expect(callables(wrapped)).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['list', 'stat', 'openRead', 'write', 'mkdir', 'delete']));
    for (const name of names) {
      const [owner, method] = name.startsWith('changes.')
        ? [wrapped.changes as unknown as Record<string, () => Promise<unknown>>, name.slice(8)]
        : [wrapped as unknown as Record<string, () => Promise<unknown>>, name];
      await expect(owner[method]!()).resolves.toBe('wrapped');
    }
    expect(seen).toHaveLength(names.length);
    expect(wrapped.service).toBe(inner.service);
    expect(wrapped.features).toBe(inner.features);
    if (inner.changes) expect(wrapped.changes!.reportsMovedContents).toBe(inner.changes.reportsMovedContents);
  });
});
