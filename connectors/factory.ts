// Builds the connector for a stored connection: `local` from its root, the cloud services from their
// provider settings and the connection's (already decrypted) tokens.
import type { OAuthTokens, RequestGate } from './cloud';
import { createDropboxConnector } from './dropbox';
import { createGoogleDriveConnector } from './google-drive';
import { createLocalConnector, type LocalFsync } from './local';
import { createOneDriveConnector } from './onedrive';
import type { ProviderSettings } from './providers';
import { ConnectorError, type Connector } from './types';
import type { ServiceName } from '../contract';

export interface ConnectorContext {
  /** Operator-allowed folders that `local` connections must stay inside. */
  localRoots: string[];
  /** When `local` writes are fsynced (LOCAL_FSYNC; default `batch`). */
  localFsync?: LocalFsync;
  /** For cloud services: where the service is, the connection's tokens, and where refreshed ones go. */
  cloud?: {
    settings: ProviderSettings;
    tokens: OAuthTokens;
    onTokens(tokens: OAuthTokens): Promise<void>;
    gate?: RequestGate;
  };
}

const CLOUD_FACTORIES = {
  google_drive: createGoogleDriveConnector,
  onedrive: createOneDriveConnector,
  dropbox: createDropboxConnector,
} as const;

export function createConnector(
  connection: { service: ServiceName; config: Record<string, unknown> },
  ctx: ConnectorContext,
): Connector {
  switch (connection.service) {
    case 'local': {
      const root = connection.config.root;
      if (typeof root !== 'string' || root === '') {
        throw new ConnectorError('fatal_connection', 'The local connection has no root folder configured');
      }
      return createLocalConnector(root, ctx.localRoots, { fsync: ctx.localFsync });
    }
    default: {
      if (!ctx.cloud) {
        throw new ConnectorError(
          'fatal_connection',
          `The ${connection.service} connection has no credentials loaded`,
        );
      }
      const { settings, tokens, onTokens, gate } = ctx.cloud;
      return CLOUD_FACTORIES[connection.service]({
        baseUrl: settings.baseUrl,
        contentUrl: settings.contentUrl,
        oauth: settings.oauth,
        tokens,
        onTokens,
        gate,
      });
    }
  }
}
