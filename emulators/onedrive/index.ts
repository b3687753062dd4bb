// A Microsoft Graph v1.0 OneDrive emulator: OAuth (consent stand-in and token endpoint as on
// login.microsoftonline.com), driveItems by id and path, children paging with @odata.nextLink,
// downloads through a pre-authenticated URL with Range, simple and session uploads, folders, delete,
// delta, and fault injection answering as Graph does.
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
import { counterKey } from './address';
import { downloadHandler } from './download';
import { graphFaultResponses, type ThrottleStyle, unauthenticated } from './errors';
import { itemsRouter } from './items';
import { seedOneDrive } from './seed';
import { OneDriveStore } from './store';
import { type UploadSessionState, uploadRouter } from './upload';

export { FRAGMENT_UNIT, MAX_FRAGMENT } from './upload';
export type { DriveItem } from './store';
export type { ThrottleStyle, UploadSessionState };
export { OneDriveStore };

export interface OneDriveEmulatorOptions {
  port?: number;
  clients?: OAuthClient[];
  accessTokenTtlSeconds?: number;
}

export interface OneDriveEmulator {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  counters: Counters;
  tokens: TokenStore;
  defaultClient: OAuthClient;
  /** Direct state access for tests. */
  store: OneDriveStore;
  uploadSessions: Map<string, UploadSessionState>;
  /** Throttled requests answer 429 TooManyRequests (default), 429 activityLimitReached or 503. */
  throttleStyle: ThrottleStyle;
  seed(opts: SeedOptions): ReturnType<typeof seedOneDrive>;
}

const DEFAULT_CLIENT: OAuthClient = {
  clientId: 'onedrive-emulator-client',
  clientSecret: 'onedrive-emulator-secret',
};

export async function startOneDriveEmulator(opts: OneDriveEmulatorOptions = {}): Promise<OneDriveEmulator> {
  const clients = opts.clients ?? [DEFAULT_CLIENT];
  const defaultClient = clients[0]!;
  const store = new OneDriveStore();
  const counters = new Counters();
  const tokens = new TokenStore(clients, opts.accessTokenTtlSeconds ?? 3600);
  const uploadSessions = new Map<string, UploadSessionState>();
  const state = { throttleStyle: 'TooManyRequests' as ThrottleStyle };
  const faults = new Faults(
    graphFaultResponses(() => state.throttleStyle),
    counters,
  );
  const seed = (o: SeedOptions) => {
    uploadSessions.clear();
    return seedOneDrive(store, o);
  };

  const app = express();
  app.disable('x-powered-by');
  // The Microsoft identity platform's consent screen, reduced to its outcome.
  app.get('/:tenant/oauth2/v2.0/authorize', (req, res) => {
    const clientId = String(req.query.client_id ?? '');
    const redirectUri = String(req.query.redirect_uri ?? '');
    if (!tokens.isClient(clientId) || !redirectUri) {
      res
        .status(400)
        .json({ error: 'invalid_request', error_description: 'Unknown client_id or no redirect_uri' });
      return;
    }
    const pkce = pkceOf(req.query);
    if (pkce && 'error' in pkce) {
      res.status(400).json({ error: 'invalid_request', error_description: pkce.error });
      return;
    }
    redirectWithCode(res, tokens, clientId, redirectUri, req.query.state, pkce);
  });
  app.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), tokenEndpoint(tokens));

  const api = express.Router();
  api.use((req, _res, next) =>
    next(/^\/(v1\.0\/|_upload\/|_download\/)/.test(req.path) ? undefined : 'router'),
  );
  api.use(counters.middleware((req) => counterKey(req.method, req.path)));
  api.use(faults.middleware);
  // The download and upload URLs are pre-authenticated: no bearer token there.
  api.get('/_download/:id', downloadHandler(store, faults));
  api.use(uploadRouter(store, uploadSessions));
  api.use((req, res, next) => {
    const token = bearerToken(req);
    if (!tokens.validate(token)) return unauthenticated(res, !token);
    next();
  });
  api.use(itemsRouter(store, uploadSessions));
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
    get throttleStyle() {
      return state.throttleStyle;
    },
    set throttleStyle(v: ThrottleStyle) {
      state.throttleStyle = v;
    },
    seed,
  };
}
