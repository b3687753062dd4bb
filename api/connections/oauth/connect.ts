// Turns a cloud service's tokens into a stored connection: the tokens are first proven with one small
// listing (which also refreshes them), then sealed bound to the connection id. Tokens never appear in
// an error message.
import { AppError } from '../../../common/errors';
import type { OAuthTokens } from '../../../connectors/cloud';
import { ConnectorError } from '../../../connectors/types';
import type { Connection, Store } from '../../../store/types';
import type { CloudSetup } from './setup';

/** The error to answer when the service refuses the token (it depends on where the token came from). */
export type RefusedError = (reason: string) => AppError;

/** Lists "/" once with `tokens`; answers the latest tokens (refreshed on the way). */
export async function verifyTokens(
  setup: CloudSetup,
  tokens: OAuthTokens,
  refused: RefusedError,
): Promise<OAuthTokens> {
  let latest = tokens;
  const connector = await setup.definition.open({
    settings: setup.settings,
    config: {},
    credentials: tokens,
    saveCredentials: (fresh) => {
      latest = fresh as OAuthTokens;
      return Promise.resolve();
    },
  });
  try {
    await connector.list('/', { pageSize: 1 });
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    const label = setup.definition.label;
    if (err.needsReauth) throw refused(err.message);
    if (err.kind === 'retryable') {
      throw new AppError(
        'service_error',
        `${label} is not answering right now`,
        `${err.message}. Try again later.`,
      );
    }
    throw new AppError('service_error', `${label} refused access to the drive`, err.message);
  }
  return latest;
}

export const sealTokens = (setup: CloudSetup, tokens: OAuthTokens, connectionId: string): string =>
  setup.box.seal(JSON.stringify(tokens), connectionId);

export async function storeNewConnection(
  store: Store,
  setup: CloudSetup,
  input: { id: string; accountId: string; name?: string | null; tokens: OAuthTokens },
): Promise<Connection> {
  return store.connections.create({
    id: input.id,
    accountId: input.accountId,
    service: setup.service,
    name: input.name ?? setup.definition.label,
    config: {},
    secrets: sealTokens(setup, input.tokens, input.id),
  });
}

/** New tokens for an existing connection, which becomes `active` again. */
export async function storeReauthorization(
  store: Store,
  setup: CloudSetup,
  connection: Connection,
  tokens: OAuthTokens,
): Promise<Connection | undefined> {
  const { accountId, id } = connection;
  if (!(await store.connections.updateSecrets(accountId, id, sealTokens(setup, tokens, id))))
    return undefined;
  await store.connections.setStatus(accountId, id, 'active');
  return store.connections.get(accountId, id);
}
