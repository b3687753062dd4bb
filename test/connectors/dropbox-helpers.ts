// Shared setup for the dropbox connector suites: an emulator, a connector on fresh tokens, and readers.
import { Readable } from 'node:stream';
import { createDropboxConnector } from '../../connectors/dropbox';
import type { OAuthTokens } from '../../connectors/cloud';
import { createHasher } from '../../connectors/hashing';
import type { Connector } from '../../connectors/types';
import type { DropboxEmulator } from '../../emulators/dropbox';

export interface Connected {
  c: Connector;
  refreshToken: string;
  refreshed: OAuthTokens[];
}

export function connect(
  emu: DropboxEmulator,
  extra: { expiresAt?: string | null; chunkSize?: number; resumableThreshold?: number } = {},
): Connected {
  const grant = emu.tokens.grant(emu.defaultClient.clientId);
  const refreshed: OAuthTokens[] = [];
  const c = createDropboxConnector({
    baseUrl: emu.url,
    oauth: { ...emu.defaultClient, tokenUrl: `${emu.url}/oauth2/token` },
    tokens: {
      accessToken: grant.access_token,
      refreshToken: grant.refresh_token,
      expiresAt: extra.expiresAt ?? null,
    },
    onTokens: (t) => void refreshed.push(t),
    chunkSize: extra.chunkSize ?? 256 * 1024,
    resumableThreshold: extra.resumableThreshold ?? 1024 * 1024,
  });
  return { c, refreshToken: grant.refresh_token, refreshed };
}

export const streamOf = (data: Buffer, chunk = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );

export async function readAll(c: Connector, path: string, start?: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await c.openRead(path, { start })) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export function contentHashOf(data: Buffer): string {
  const h = createHasher('dropbox_content_hash');
  h.update(data);
  return h.digest();
}
