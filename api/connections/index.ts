// /v1/connections: connected services (created from a local root, a refresh token, or through the
// provider's consent screen), and the public OAuth callback the provider sends the browser to.
import type { ApiContext } from '../context';
import type { Resource } from '../http/route';
import { oauthAuthorizeRoutes, oauthCallbackRoutes } from './oauth/routes';
import { connectionRoutes } from './routes';

export const connectionsResource = (ctx: ApiContext): Resource => ({
  tag: 'connections',
  routes: [...connectionRoutes(ctx), ...oauthAuthorizeRoutes(ctx)],
});

/** Public: a browser lands there with no API key; the signed state says whose connection it makes. */
export const oauthCallbackResource = (ctx: ApiContext): Resource => ({
  tag: 'oauth',
  routes: oauthCallbackRoutes(ctx),
});
