// Opens the connector of a stored connection for activities: cloud credentials are decrypted here,
// and a refreshed access token is sealed and stored again at once. Nothing secret leaves this file.
import type { Config } from '../common/config';
import type { SecretBox } from '../common/secret-box';
import { createConnector, providerSettings, type OAuthTokens } from '../connectors';
import { ConnectorError, type Connector } from '../connectors/types';
import type { Connection, Store } from '../store/types';

export interface OpenConnectorDeps {
  store: Store;
  config: Config;
  /** Absent when MIGRATECLOUDS_ENCRYPTION_KEY is not set: cloud connections cannot be opened. */
  box?: SecretBox;
}

export async function openConnector(connection: Connection, deps: OpenConnectorDeps): Promise<Connector> {
  const { store, config, box } = deps;
  if (connection.service === 'local') return createConnector(connection, { localRoots: config.localRoots });
  const settings = providerSettings(config, connection.service);
  if (!settings) {
    throw new ConnectorError('fatal_connection', `${connection.service} is not configured on this server`);
  }
  if (!box)
    throw new ConnectorError('fatal_connection', 'MIGRATECLOUDS_ENCRYPTION_KEY is not set on this server');
  const sealed = await store.connections.readSecrets(connection.accountId, connection.id);
  if (!sealed) throw new ConnectorError('fatal_connection', `Connection ${connection.id} has no credentials`);
  const tokens = JSON.parse(box.open(sealed, connection.id)) as OAuthTokens;
  return createConnector(connection, {
    localRoots: config.localRoots,
    cloud: {
      settings,
      tokens,
      onTokens: async (fresh) => {
        await store.connections.updateSecrets(
          connection.accountId,
          connection.id,
          box.seal(JSON.stringify(fresh), connection.id),
        );
      },
    },
  });
}
