// A Dropbox API v2 emulator: OAuth (consent stand-in and /oauth2/token), the files RPC endpoints of the
// api host and the content endpoints of the content host on one port, and fault injection answering
// as Dropbox does.
import express from 'express';
import { Counters } from '../common/counters';
import { Faults } from '../common/faults';
import { serveEmulator } from '../common/serve';
import type { SeedOptions } from '../common/seed';
import {
  bearerToken,
  type OAuthClient,
  pkceOf,
  redirectWithCode,
  TokenStore,
  tokenEndpoint,
} from '../common/tokens';
import { contentRouter, type UploadSessionState } from './content';
import { dropboxFaultResponses, unauthorized } from './errors';
import { filesRouter } from './files';
import { seedDropbox } from './seed';
import { DropboxStore } from './store';

export { contentHash, type DbxNode, DropboxStore } from './store';
export type { UploadSessionState } from './content';

export interface DropboxEmulatorOptions {
  port?: number;
  clients?: OAuthClient[];
  accessTokenTtlSeconds?: number;
}

export interface DropboxEmulator {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  counters: Counters;
  tokens: TokenStore;
  defaultClient: OAuthClient;
  /** Direct state access for tests. */
  store: DropboxStore;
  uploadSessions: Map<string, UploadSessionState>;
  seed(opts: SeedOptions): ReturnType<typeof seedDropbox>;
}

const DEFAULT_CLIENT: OAuthClient = {
  clientId: 'dropbox-emulator-client',
  clientSecret: 'dropbox-emulator-secret',
};

/** Counter keys are the endpoint paths; Dropbox puts ids in arguments, not in URLs. */
const keyOf = (req: express.Request): string => `${req.method} ${req.path}`;

export async function startDropboxEmulator(opts: DropboxEmulatorOptions = {}): Promise<DropboxEmulator> {
  const clients = opts.clients ?? [DEFAULT_CLIENT];
  const defaultClient = clients[0]!;
  const store = new DropboxStore();
  const counters = new Counters();
  const tokens = new TokenStore(clients, opts.accessTokenTtlSeconds ?? 14_400);
  const faults = new Faults(dropboxFaultResponses, counters);
  const uploadSessions = new Map<string, UploadSessionState>();
  const seed = (o: SeedOptions) => {
    uploadSessions.clear();
    return seedDropbox(store, o);
  };

  const app = express();
  app.disable('x-powered-by');
  // Dropbox's consent page, reduced to its outcome: redirect back with a code.
  app.get('/oauth2/authorize', (req, res) => {
    const clientId = String(req.query.client_id ?? '');
    const redirectUri = String(req.query.redirect_uri ?? '');
    if (!tokens.isClient(clientId) || !redirectUri || req.query.response_type !== 'code') {
      res.status(400).type('text/plain').send('Invalid client_id, redirect_uri or response_type.');
      return;
    }
    const pkce = pkceOf(req.query);
    if (pkce && 'error' in pkce) {
      res.status(400).type('text/plain').send(`Invalid ${pkce.error}.`);
      return;
    }
    redirectWithCode(res, tokens, clientId, redirectUri, req.query.state, pkce);
  });
  app.post('/oauth2/token', express.urlencoded({ extended: false }), tokenEndpoint(tokens));

  const api = express.Router();
  api.use((req, _res, next) => next(req.path.startsWith('/2/') ? undefined : 'router'));
  api.use(counters.middleware(keyOf));
  api.use(faults.middleware);
  api.use((req, res, next) => {
    const token = bearerToken(req);
    if (!tokens.validate(token))
      return unauthorized(res, token ? 'expired_access_token' : 'invalid_access_token');
    next();
  });
  api.use(contentRouter(store, uploadSessions, faults));
  api.use(filesRouter(store));
  api.use((req, res) => void res.status(404).type('text/plain').send(`Unknown API function: ${req.path}`));
  const server = await serveEmulator(app, api, {
    faults,
    counters,
    tokens,
    defaultClient,
    seed,
    clear: () => {
      store.clear();
      uploadSessions.clear();
    },
    port: opts.port,
  });
  return {
    ...server,
    faults,
    counters,
    tokens,
    defaultClient,
    store,
    uploadSessions,
    seed,
  };
}
