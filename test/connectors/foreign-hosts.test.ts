// Cloud connectors send their credentials to their own service only. A next-page link, an upload
// session or an address from a page token that points at another host is refused before anything
// leaves: the other host (a plain HTTP server that also counts TLS attempts) sees no connection at all.
import { Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import type { Connector } from '../../connectors/types';
import { GraphTokens } from '../../connectors/onedrive/auth';
import { BearerMiddleware } from '../../connectors/onedrive/client';
import { type ForeignHost, startForeignHost, startHostRewritingProxy } from '../helpers/foreign-host';
import {
  type CloudEmulator,
  type CloudSpec,
  connect,
  GOOGLE_DRIVE,
  ONEDRIVE,
  useEmulator,
} from './cloud-targets';
import { expectKind } from './local-helpers';
import { streamOf } from './streams';

const onedrive = useEmulator(ONEDRIVE);
const drive = useEmulator(GOOGLE_DRIVE);
let foreign: ForeignHost;
beforeEach(async () => {
  foreign = await startForeignHost();
});
afterEach(() => foreign.close());

const at = '2024-05-01T10:00:00.000Z';
const THREE_FILES = ['/a.txt', '/b.txt', '/c.txt'].map((path) => ({
  path,
  type: 'file' as const,
  size: 3,
  modifiedAt: at,
}));

/** A connector whose API base URL is `baseUrl` (tokens still from the emulator itself). */
function connectVia<E extends CloudEmulator>(spec: CloudSpec<E>, emu: E, baseUrl: string): Connector {
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  return spec.create({
    baseUrl,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}${spec.tokenPath}` },
    tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
    chunkSize: spec.chunkSize,
    resumableThreshold: spec.resumableThreshold,
  });
}

/** Runs `fn` with the emulator behind a proxy that makes it write its links on the foreign host. */
async function viaRewritingProxy<T>(emu: CloudEmulator, fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const proxy = await startHostRewritingProxy(emu.url, foreign.host);
  try {
    return await fn(proxy.url);
  } finally {
    await proxy.close();
  }
}

const tokenOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('onedrive', () => {
  it('refuses a next-page link on another host and sends it nothing', async () => {
    onedrive.emu.seed({ files: 0, tree: THREE_FILES });
    await viaRewritingProxy(onedrive.emu, async (baseUrl) => {
      const c = connectVia(ONEDRIVE, onedrive.emu, baseUrl);
      const err = await expectKind(c.list('/', { pageSize: 1 }), 'fatal_connection');
      expect(err.message).toContain(`a link to ${foreign.url}`);
    });
    expect(foreign.connections).toBe(0);
  });

  it('never takes an address from a page token to another host', async () => {
    onedrive.emu.seed({ files: 0, tree: THREE_FILES });
    const { c } = connect(ONEDRIVE, onedrive.emu);
    // The SDK reads an "https://" anywhere in an address as a host to go to.
    for (const address of [
      `https://${foreign.host}/v1.0/me/drive/root/children`,
      `${foreign.host}/v1.0/me/drive/root/children?https://`,
      `/me/drive/root/children?$skiptoken=https://${foreign.host}/x`,
      `//${foreign.host}/v1.0/me/drive/root/children`,
    ]) {
      const pageToken = tokenOf({ v: 1, p: '/', r: false, s: [{ id: 'root', path: '/', c: address, k: 0 }] });
      const err = await expectKind(c.list('/', { pageSize: 1, pageToken }), 'fatal_connection');
      expect(err.message).toContain('not a path on');
    }
    expect(foreign.connections).toBe(0);
    // A well-formed token still pages on.
    const first = await c.list('/', { pageSize: 1 });
    expect((await c.list('/', { pageSize: 1, pageToken: first.nextPageToken })).entries).toHaveLength(1);
  });

  it('refuses page tokens whose frames are not well formed', async () => {
    const { c } = connect(ONEDRIVE, onedrive.emu);
    for (const s of [
      [{}],
      [{ id: 'root', path: '/', c: null, k: -1 }],
      [{ id: 1, path: '/', c: null, k: 0 }],
    ]) {
      await expect(c.list('/', { pageToken: tokenOf({ v: 1, p: '/', r: false, s }) })).rejects.toMatchObject({
        code: 'invalid_parameter',
        message: expect.stringContaining("'page_token'"),
      });
    }
  });

  it('attaches the bearer token only to requests for the configured origin', async () => {
    const grant = onedrive.emu.tokens.grant(onedrive.emu.defaultClient.clientId);
    const tokens = new GraphTokens({
      baseUrl: onedrive.emu.url,
      oauth: { ...onedrive.emu.defaultClient, tokenUrl: `${onedrive.emu.url}${ONEDRIVE.tokenPath}` },
      tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
    });
    const sdk = (baseUrl: string) =>
      Client.initWithMiddleware({
        baseUrl,
        defaultVersion: 'v1.0',
        middleware: [
          new BearerMiddleware(tokens, new URL(onedrive.emu.url).origin),
          new HTTPMessageHandler(),
        ],
      });
    await expect(sdk(foreign.url).api('/me/drive/root').get()).rejects.toMatchObject({
      customError: { kind: 'fatal_connection', message: expect.stringContaining(foreign.url) },
    });
    expect(foreign.connections).toBe(0);
    expect(await sdk(onedrive.emu.url).api('/me/drive/root').get()).toMatchObject({ root: {} });
  });
});

describe('google_drive', () => {
  const big = Buffer.alloc(GOOGLE_DRIVE.resumableThreshold + 1000, 7);

  it('refuses an upload session on another host and sends it nothing', async () => {
    await viaRewritingProxy(drive.emu, async (baseUrl) => {
      const c = connectVia(GOOGLE_DRIVE, drive.emu, baseUrl);
      const err = await expectKind(
        c.write('/big.bin', streamOf(big), { overwrite: false, size: big.length }),
        'fatal_connection',
      );
      expect(err.message).toContain(`upload session on ${foreign.url}`);
    });
    expect(foreign.connections).toBe(0);
  });

  it('resumes a saved session only on the API origin', async () => {
    const { c } = connect(GOOGLE_DRIVE, drive.emu);
    const session = {
      service: 'google_drive' as const,
      url: `${foreign.url}/upload/drive/v3/files?uploadType=resumable&upload_id=stolen`,
      offset: 0,
      size: big.length,
    };
    const err = await expectKind(
      c.write('/big.bin', streamOf(big), { overwrite: false, size: big.length, session }),
      'fatal_connection',
    );
    expect(err.message).toContain(`refusing to send a Drive request to ${foreign.url}`);
    expect(foreign.requests).toEqual([]);
    expect(foreign.connections).toBe(0);
  });
});
