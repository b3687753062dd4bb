// The OAuth 2 authorization-code flow with PKCE. `authorize` (authenticated) stores a one-time state and
// answers a start URL on this server; the browser that opens it gets an HttpOnly cookie binding the flow
// to it and goes on to the provider's consent screen (code_challenge S256). The provider sends the browser
// to `callback` (public: no API key there), which accepts the state once, only with that browser's cookie,
// and exchanges the code with the code_verifier.
import { AppError, conflict, invalidParameter, notFound, permissionDenied } from '../../../common/errors';
import { newId } from '../../../common/ids';
import { serviceDefinition } from '../../../connectors';
import type { ServiceName } from '../../../contract';
import type { Connection } from '../../../store/types';
import type { ApiContext } from '../../context';
import { storeNewConnection, storeReauthorization, verifyTokens } from './connect';
import { exchangeCode } from './exchange';
import { authorizationUrl, publicBase, redirectUri, startUrl } from './providers';
import { cloudSetup } from './setup';
import {
  bindingNonce,
  checkState,
  clearBindingCookie,
  codeChallenge,
  hashSecret,
  newCodeVerifier,
  newNonce,
  newState,
  sameBrowser,
  setBindingCookie,
  STATE_TTL_MS,
  stateError,
  verifierContext,
} from './state';
import { defineRoute, type Route } from '../../http/route';
import { z } from '../../http/zod';
import { connectionSchema } from '../schemas';
import { authorizeInput, authorizeResponse, callbackInput, oauthServiceParams, startInput } from './schemas';
import { presentConnection } from '../presenter';

const restart = (service: ServiceName) => `Start again with GET /v1/connections/oauth/${service}/authorize.`;

/** The cookie is Secure when the public origin is https (a browser on http://localhost would drop it). */
const secureCookie = (deps: ApiContext) => publicBase(deps.config).startsWith('https:');

export const oauthAuthorizeRoutes = (deps: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/connections/oauth/:service/authorize',
    // A GET that starts adding a connection: it needs what creating one needs.
    scope: 'write',
    summary: 'Start connecting a cloud service through its consent screen',
    description:
      'Answers authorization_url, a start URL on this server (GET /v1/oauth/{service}/start). Open it in ' +
      'the browser that will finish the flow: it binds the flow to that browser (an HttpOnly cookie) and ' +
      'goes on to the service’s consent screen (with PKCE, code_challenge_method S256). After consent the ' +
      'service sends the same browser to redirect_uri (GET /v1/oauth/{service}/callback), which creates ' +
      'the connection. The state works once, in that browser only, for 10 minutes. With connection_id, ' +
      'the existing connection gets new tokens instead (e.g. one in `needs_reauth`). Parameters come ' +
      'from the query string or a JSON body.',
    params: oauthServiceParams,
    input: authorizeInput,
    status: 200,
    response: authorizeResponse,
    errors: ['resource_not_found'],
    async handler({ auth, params, input }) {
      const { service } = params;
      const setup = cloudSetup(deps, service);
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
      const state = newState();
      const stateHash = hashSecret(state);
      await deps.store.oauthStates.purgeExpired(new Date(Date.now() - 24 * 3600_000).toISOString());
      await deps.store.oauthStates.create({
        stateHash,
        accountId: auth.account.id,
        service,
        connectionId,
        reauthorize: Boolean(input.connection_id),
        name: input.name ?? null,
        verifier: setup.box.seal(newCodeVerifier(), verifierContext(stateHash)),
        expiresAt: new Date(expiresAt).toISOString(),
      });
      return {
        authorization_url: startUrl(deps.config, service, state),
        state,
        expires_at: new Date(expiresAt).toISOString(),
        redirect_uri: redirectUri(deps.config, service),
        connection_id: connectionId,
      };
    },
  }),
];

export const oauthCallbackRoutes = (deps: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/oauth/:service/start',
    summary: 'Binds an authorization to this browser and goes on to the service’s consent screen',
    description:
      'Public (no API key): the authorization_url that authorize answers. The first browser to open it ' +
      'gets an HttpOnly cookie (path /v1/oauth/{service}/) and a 302 to the service’s consent screen ' +
      '(with code_challenge, S256); only that browser can finish the flow at the callback. A second ' +
      'opening is refused.',
    public: true,
    params: oauthServiceParams,
    input: startInput,
    status: 302,
    response: z.null(),
    async handler({ params, input, res }) {
      const { service } = params;
      if (!input.state) throw stateError(service, 'is required');
      const setup = cloudSetup(deps, service);
      const stateHash = hashSecret(input.state);
      const record = checkState(await deps.store.oauthStates.get(stateHash), service);
      const nonce = newNonce();
      if (!(await deps.store.oauthStates.bindBrowser(stateHash, hashSecret(nonce)))) {
        throw stateError(service, 'was already opened in a browser; only that browser can finish it');
      }
      const verifier = setup.box.open(record.verifier, verifierContext(stateHash));
      setBindingCookie(res, {
        service,
        stateHash,
        nonce,
        secure: secureCookie(deps),
        maxAgeMs: Date.parse(record.expiresAt) - Date.now(),
      });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(
        302,
        authorizationUrl(setup, redirectUri(deps.config, service), input.state, codeChallenge(verifier)),
      );
      return null;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/oauth/:service/callback',
    summary: 'Where the service sends the browser back after consent',
    description:
      'Public (no API key): the `state` says which account and connection this is for; it works once, ' +
      'and only in the browser that opened the start URL (its cookie). Exchanges the code for tokens ' +
      '(with the PKCE code_verifier), checks them with one listing, and creates the connection (201) ' +
      'or, for an authorization again, replaces its tokens and makes it active (200).',
    public: true,
    params: oauthServiceParams,
    input: callbackInput,
    status: 201,
    response: connectionSchema,
    errors: ['permission_denied', 'resource_not_found', 'conflict', 'service_error'],
    async handler({ params, input, req, res, setStatus }) {
      const { service } = params;
      const label = serviceDefinition(service).label;
      if (!input.state) throw stateError(service, 'is required');
      const setup = cloudSetup(deps, service);
      const stateHash = hashSecret(input.state);
      const state = checkState(await deps.store.oauthStates.get(stateHash), service);
      if (state.usedAt) throw stateError(service, 'was already used (a state works once)');
      const nonce = bindingNonce(req, stateHash);
      if (!sameBrowser(state, nonce)) {
        throw stateError(
          service,
          'was not started in this browser (open authorization_url in the browser that finishes the flow)',
        );
      }
      // Anyone can call this URL: an error is the service's word only beside a state this server issued.
      if (input.error) {
        const said = `${label} answered ${input.error}${input.error_description ? `: ${input.error_description}` : ''}`;
        if (input.error === 'access_denied') {
          throw permissionDenied(`Access was declined at ${label}`, `${said}. ${restart(service)}`);
        }
        throw new AppError('service_error', `${label} did not authorize the connection`, said);
      }
      if (!input.code) throw invalidParameter('code', 'is required', restart(service));
      // One use: of two requests with this state, only one gets past here.
      if (!(await deps.store.oauthStates.consume(stateHash, hashSecret(nonce!)))) {
        throw stateError(service, 'was already used (a state works once)');
      }
      clearBindingCookie(res, service, stateHash, secureCookie(deps));
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

      const verifier = setup.box.open(state.verifier, verifierContext(stateHash));
      const exchanged = await exchangeCode(setup, input.code, redirectUri(deps.config, service), verifier);
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
