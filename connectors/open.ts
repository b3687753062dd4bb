// Opens the connector of a stored connection (for activities and the API): cloud credentials are
// decrypted here, and a refreshed access token is sealed and stored again at once. Nothing secret
// leaves this file.
import type { Config } from '../common/config';
import type { SecretBox } from '../common/secret-box';
import type { ServiceName } from '../common/services';
import type { OAuthTokens } from './cloud';
import { createConnector } from './factory';
import { providerSettings } from './providers';
import { ConnectorError, type Connector } from './types';

/** Where sealed credentials live (the store's connections repository fits). */
export interface SealedCredentials {
  readSecrets(accountId: string, id: string): Promise<string | null>;
  updateSecrets(accountId: string, id: string, secrets: string): Promise<boolean>;
}

export interface OpenConnectorDeps {
  credentials: SealedCredentials;
  config: Config;
  /** Absent when MIGRATECLOUDS_ENCRYPTION_KEY is not set: cloud connections cannot be opened. */
  box?: SecretBox;
}

export interface StoredConnection {
  id: string;
  accountId: string;
  service: ServiceName;
  config: Record<string, unknown>;
}

export async function openConnector(
  connection: StoredConnection,
  deps: OpenConnectorDeps,
): Promise<Connector> {
  const { credentials, config, box } = deps;
  if (connection.service === 'local') return createConnector(connection, { localRoots: config.localRoots });
  const settings = providerSettings(config, connection.service);
  if (!settings) {
    throw new ConnectorError('fatal_connection', `${connection.service} is not configured on this server`);
  }
  if (!box)
    throw new ConnectorError('fatal_connection', 'MIGRATECLOUDS_ENCRYPTION_KEY is not set on this server');
  const sealed = await credentials.readSecrets(connection.accountId, connection.id);
  if (!sealed) throw new ConnectorError('fatal_connection', `Connection ${connection.id} has no credentials`);
  const tokens = JSON.parse(box.open(sealed, connection.id)) as OAuthTokens;
  return createConnector(connection, {
    localRoots: config.localRoots,
    cloud: {
      settings,
      tokens,
      onTokens: async (fresh) => {
        await credentials.updateSecrets(
          connection.accountId,
          connection.id,
          box.seal(JSON.stringify(fresh), connection.id),
        );
      },
    },
  });
}
