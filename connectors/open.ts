// Opens the connector of a stored connection (for activities and the API): cloud credentials are
// decrypted here, and a refreshed access token is sealed and stored again at once. Nothing secret
// leaves this file.
import type { Config } from '../common/config';
import type { SecretBox } from '../common/secret-box';
import type { RequestBudgets } from './budget';
import { budgetGate, gatedConnector, requestRate } from './budgeted';
import type { OAuthTokens } from './cloud';
import { createConnector } from './factory';
import { providerSettings } from './providers';
import { ConnectorError, reauthError, type Connector } from './types';
import type { ServiceName } from '../contract';

/** Where sealed credentials live (the store's connections repository fits). */
export interface SealedCredentials {
  readSecrets(accountId: string, id: string): Promise<string | null>;
  updateSecrets(accountId: string, id: string, secrets: string): Promise<boolean>;
  /** Marks the connection as needing a new authorization (when its service refuses the refresh token). */
  setStatus(accountId: string, id: string, status: 'active' | 'needs_reauth'): Promise<boolean>;
}

export interface OpenConnectorDeps {
  credentials: SealedCredentials;
  config: Config;
  /** Absent when MIGRATECLOUDS_ENCRYPTION_KEY is not set: cloud connections cannot be opened. */
  box?: SecretBox;
  /** Each connection's request budget (connectors/budget); absent = requests are not paced. */
  budgets?: RequestBudgets;
  /** Ends waits for the budget (an activity's cancellation). */
  signal?: AbortSignal;
  /** Told after the connection was marked needs_reauth (the worker publishes connection.needs_reauth). */
  onNeedsReauth?: () => Promise<void>;
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
  const rate = requestRate(config, connection.service);
  const gate = deps.budgets && budgetGate(deps.budgets, connection.id, rate, deps.signal);
  if (connection.service === 'local') {
    const local = createConnector(connection, {
      localRoots: config.localRoots,
      localFsync: config.LOCAL_FSYNC,
    });
    return gate ? gatedConnector(local, gate) : local;
  }
  const settings = providerSettings(config, connection.service);
  if (!settings) {
    throw new ConnectorError('fatal_connection', `${connection.service} is not configured on this server`);
  }
  if (!box)
    throw new ConnectorError('fatal_connection', 'MIGRATECLOUDS_ENCRYPTION_KEY is not set on this server');
  const sealed = await credentials.readSecrets(connection.accountId, connection.id);
  if (!sealed) throw new ConnectorError('fatal_connection', `Connection ${connection.id} has no credentials`);
  const tokens = JSON.parse(box.open(sealed, connection.id)) as OAuthTokens;
  const connector = createConnector(connection, {
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
      gate,
    },
  });
  return markingReauth(connector, connection, credentials, deps.onNeedsReauth);
}

/**
 * The connector, except that a refused refresh token marks the connection `needs_reauth` (so the API
 * and later activities stop using it) and the error says which connection must be authorized again.
 */
function markingReauth(
  connector: Connector,
  connection: StoredConnection,
  credentials: SealedCredentials,
  onNeedsReauth?: () => Promise<void>,
): Connector {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConnectorError) || !err.needsReauth) throw err;
      // Best effort: the caller must still learn why the call failed if the store is unreachable.
      await credentials.setStatus(connection.accountId, connection.id, 'needs_reauth').catch(() => false);
      await onNeedsReauth?.().catch(() => undefined);
      throw reauthError(`Connection ${connection.id} needs to be authorized again: ${err.message}`);
    }
  };
  return {
    ...connector,
    list: (path, options) => guard(() => connector.list(path, options)),
    stat: (path) => guard(() => connector.stat(path)),
    openRead: (path, options) => guard(() => connector.openRead(path, options)),
    write: (path, data, options) => guard(() => connector.write(path, data, options)),
    mkdir: (path) => guard(() => connector.mkdir(path)),
  };
}
