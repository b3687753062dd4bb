// The OAuth 2 authorization-code flow. `authorize` (authenticated) answers the provider's consent URL
// with a signed state; the provider sends the browser to `callback` (public: no API key there), which
// trusts nothing but that state to know whose connection it makes.
import { AppError, conflict, invalidParameter, notFound, permissionDenied } from '../../../common/errors';
import { newId } from '../../../common/ids';
import { serviceDefinition } from '../../../connectors';
import type { ServiceName } from '../../../contract';
import type { Connection } from '../../../store/types';
import type { ApiContext } from '../../context';
import { storeNewConnection, storeReauthorization, verifyTokens } from './connect';
import { exchangeCode } from './exchange';
import { authorizationUrl, redirectUri } from './providers';
import { cloudSetup } from './setup';
import { deriveStateKey, signState, STATE_TTL_MS, verifyState } from './state';
import { defineRoute, type Route } from '../../http/route';
import { connectionSchema } from '../schemas';
import { authorizeInput, authorizeResponse, callbackInput, oauthServiceParams } from './schemas';
import { presentConnection } from '../presenter';

const restart = (service: ServiceName) => `Start again with GET /v1/connections/oauth/${service}/authorize.`;

/** The service's setup plus the state key (both need MIGRATECLOUDS_ENCRYPTION_KEY). */
function oauthSetup(deps: ApiContext, service: ServiceName) {
  const setup = cloudSetup(deps, service);
  const key = deps.config.MIGRATECLOUDS_ENCRYPTION_KEY;
  if (!key) {
    throw invalidParameter(
      'service',
      `${service} is not configured on this server`,
      'The operator must set MIGRATECLOUDS_ENCRYPTION_KEY.',
    );
  }
  return { setup, stateKey: deriveStateKey(key) };
}

export const oauthAuthorizeRoutes = (deps: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/connections/oauth/:service/authorize',
    // A GET that starts adding a connection: it needs what creating one needs.
    scope: 'write',
    summary: 'Start connecting a cloud service through its consent screen',
    description:
      'Answers the URL of the service’s consent screen. Open it in a browser; after consent the service ' +
      'sends the browser to redirect_uri (GET /v1/oauth/{service}/callback), which creates the ' +
      'connection. With connection_id, the existing connection gets new tokens instead (e.g. one in ' +
      '`needs_reauth`). Parameters come from the query string or a JSON body.',
    params: oauthServiceParams,
    input: authorizeInput,
    status: 200,
    response: authorizeResponse,
    errors: ['resource_not_found'],
    async handler({ auth, params, input }) {
      const { service } = params;
      const { setup, stateKey } = oauthSetup(deps, service);
      let connectionId = newId('conn');
      if (input.connection_id) {
        if (input.name) {
          throw invalidParameter(
            'name',
            'cannot be combined with connection_id',
            'An authorization again keeps the connection’s name; leave name out.',
          );
        }
        const existing = await deps.store.connections.get(auth.account.id, input.connection_id);
        if (!existing) throw notFound('Connection', input.connection_id);
        if (existing.service !== service) {
          throw invalidParameter(
            'connection_id',
            `connection ${existing.id} is a ${existing.service} connection, not ${service}`,
            `Use GET /v1/connections/oauth/${existing.service}/authorize for it.`,
          );
        }
        connectionId = existing.id;
      }
      const expiresAt = Date.now() + STATE_TTL_MS;
      const state = signState(stateKey, {
        accountId: auth.account.id,
        service,
        connectionId,
        reauthorize: Boolean(input.connection_id),
        name: input.name ?? null,
        expiresAt,
      });
      const redirect = redirectUri(deps.config, service);
      return {
        authorization_url: authorizationUrl(setup, redirect, state),
        state,
        expires_at: new Date(expiresAt).toISOString(),
        redirect_uri: redirect,
        connection_id: connectionId,
      };
    },
  }),
];

export const oauthCallbackRoutes = (deps: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/oauth/:service/callback',
    summary: 'Where the service sends the browser back after consent',
    description:
      'Public (no API key): the signed `state` says which account and connection this is for. Exchanges ' +
      'the code for tokens, checks them with one listing, and creates the connection (201) or, for an ' +
      'authorization again, replaces its tokens and makes it active (200). A state works once.',
    public: true,
    params: oauthServiceParams,
    input: callbackInput,
    status: 201,
    response: connectionSchema,
    errors: ['permission_denied', 'resource_not_found', 'conflict', 'service_error'],
    async handler({ params, input, res, setStatus }) {
      const { service } = params;
      const label = serviceDefinition(service).label;
      if (input.error) {
        const said = `${label} answered ${input.error}${input.error_description ? `: ${input.error_description}` : ''}`;
        if (input.error === 'access_denied') {
          throw permissionDenied(`Access was declined at ${label}`, `${said}. ${restart(service)}`);
        }
        throw new AppError('service_error', `${label} did not authorize the connection`, said);
      }
      if (!input.state) throw invalidParameter('state', 'is required', restart(service));
      const { setup, stateKey } = oauthSetup(deps, service);
      const state = verifyState(stateKey, input.state, service);
      if (!input.code) throw invalidParameter('code', 'is required', restart(service));
      const { store } = deps;
      if (!(await store.accounts.get(state.accountId))) {
        throw invalidParameter('state', 'belongs to an account that no longer exists', restart(service));
      }
      const existing = await store.connections.get(state.accountId, state.connectionId);
      if (state.reauthorize && !existing) throw notFound('Connection', state.connectionId);
      const alreadyUsed = () =>
        conflict(
          'This authorization was already used',
          `It created connection ${state.connectionId}. ${restart(service)}`,
        );
      if (!state.reauthorize && existing) throw alreadyUsed();

      const exchanged = await exchangeCode(setup, input.code, redirectUri(deps.config, service));
      const tokens = await verifyTokens(
        setup,
        exchanged,
        (reason) => new AppError('service_error', `${label} refused the tokens it just issued`, reason),
      );
      if (existing) {
        const connection = await storeReauthorization(store, setup, existing, tokens);
        if (!connection) throw notFound('Connection', state.connectionId);
        setStatus(200);
        return presentConnection(connection);
      }
      let connection: Connection;
      try {
        connection = await storeNewConnection(store, setup, {
          id: state.connectionId,
          accountId: state.accountId,
          name: state.name,
          tokens,
        });
      } catch (err) {
        // Two callbacks with one state at once: the second insert hits the first one's id.
        if (await store.connections.get(state.accountId, state.connectionId)) throw alreadyUsed();
        throw err;
      }
      res.location(`/v1/connections/${connection.id}`);
      return presentConnection(connection);
    },
  }),
];
