// Opens the connector of a stored connection (for activities and the API), whatever its service: its
// settings and request budget from the registry, its credentials decrypted here (and a renewed access
// token sealed and stored again at once). Nothing secret leaves this file.
import type { SecretBox } from '../common/secret-box';
import type { ServiceName } from '../contract';
import type { RequestBudgets } from './budget';
import { appGate, budgetGate, chainGates, throttleCounter } from './budgeted';
import { serviceDefinition, type ServiceSettings } from './registry';
import { ConnectorError, reauthError, type Connector } from './types';
import { wrapConnector } from './wrap';

/** Where sealed credentials live (the store's connections repository fits). */
export interface SealedCredentials {
  readSecrets(accountId: string, id: string): Promise<string | null>;
  updateSecrets(accountId: string, id: string, secrets: string): Promise<boolean>;
  /** Marks the connection as needing a new authorization (when its service refuses the refresh token). */
  setStatus(accountId: string, id: string, status: 'active' | 'needs_reauth'): Promise<boolean>;
}

export interface OpenConnectorDeps {
  /** Each service's settings and the share of an app's budget one account may use (the loaded configuration has them). */
  config: { services: ServiceSettings; MIGRATECLOUDS_APP_ACCOUNT_SHARE?: number };
  /** Needed for services whose connections hold credentials (oauth, keys). */
  credentials?: SealedCredentials;
  /** Absent when MIGRATECLOUDS_ENCRYPTION_KEY is not set: connections with credentials cannot be opened. */
  box?: SecretBox;
  /** Each connection's request budget (connectors/budget); absent = requests are not paced. */
  budgets?: RequestBudgets;
  /** Ends waits for the budget (an activity's cancellation). */
  signal?: AbortSignal;
  /** Told after the connection was marked needs_reauth (the worker publishes connection.needs_reauth). */
  onNeedsReauth?: () => Promise<void>;
  /**
   * The folders granted to each account (the store's localGrants): path services stay inside them.
   * The API and the worker always pass it; without it the server's roots alone bound a connection.
   */
  grants?: GrantedRoots;
}

export interface GrantedRoots {
  rootsOf(accountId: string): Promise<string[]>;
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
  const service = serviceDefinition(connection.service);
  const settings = deps.config.services[service.name];
  const rate = service.requestsPerSecond(settings);
  const app = {
    service: service.name,
    accountId: connection.accountId,
    rate: service.appRequestsPerSecond?.(settings) ?? 0,
    share: deps.config.MIGRATECLOUDS_APP_ACCOUNT_SHARE ?? 1,
  };
  // The connection's own budget (it adapts to throttling); `local` answers no throttling: without a
  // budget it stays ungated (its copy threads need that), a cloud connection still counts throttling.
  const own =
    (deps.budgets && budgetGate(deps.budgets, service.name, connection.id, rate, deps.signal)) ??
    (service.credentials === 'path' ? undefined : throttleCounter(service.name));
  // Then the app's budget, which every account shares.
  const gate = chainGates(own, deps.budgets && appGate(deps.budgets, app, deps.signal));
  const open = (
    credentials: unknown,
    saveCredentials: (c: unknown) => Promise<void>,
    grantedRoots?: string[],
  ) =>
    service.open({ settings, config: connection.config, credentials, saveCredentials, gate, grantedRoots });
  if (service.credentials === 'path') {
    return open(null, async () => undefined, await deps.grants?.rootsOf(connection.accountId));
  }

  if (service.oauth && !service.oauth.app(settings)) {
    throw new ConnectorError('fatal_connection', `${connection.service} is not configured on this server`);
  }
  const { box, credentials } = deps;
  if (!box)
    throw new ConnectorError('fatal_connection', 'MIGRATECLOUDS_ENCRYPTION_KEY is not set on this server');
  const sealed = await credentials?.readSecrets(connection.accountId, connection.id);
  if (!sealed) throw new ConnectorError('fatal_connection', `Connection ${connection.id} has no credentials`);
  const connector = await open(JSON.parse(box.open(sealed, connection.id)), async (fresh) => {
    await credentials!.updateSecrets(
      connection.accountId,
      connection.id,
      box.seal(JSON.stringify(fresh), connection.id),
    );
  });
  return markingReauth(connector, connection, credentials!, deps.onNeedsReauth);
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
  return wrapConnector(connector, async (call) => {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConnectorError) || !err.needsReauth) throw err;
      // Best effort: the caller must still learn why the call failed if the store is unreachable.
      await credentials.setStatus(connection.accountId, connection.id, 'needs_reauth').catch(() => false);
      await onNeedsReauth?.().catch(() => undefined);
      throw reauthError(`Connection ${connection.id} needs to be authorized again: ${err.message}`);
    }
  });
}
