// A Google Drive v3 emulator: OAuth (consent stand-in and token endpoint), files.* with paging, media
// downloads with Range, multipart and resumable uploads, export of Google-native documents, changes,
// and fault injection answering as Drive does.
import express from 'express';
import { Counters } from '../common/counters';
import { Faults } from '../common/faults';
import { serveEmulator } from '../common/serve';
import {
  bearerToken,
  type OAuthClient,
  pkceOf,
  redirectWithCode,
  TokenStore,
  tokenEndpoint,
} from '../common/tokens';
import { driveFaultResponses, type ThrottleStyle, unauthenticated } from './errors';
import { filesRouter } from './files';
import { seedNatives } from './natives';
import { type DriveSeedOptions, seedDrive } from './seed';
import { DriveStore } from './store';
import { type UploadSessionState, uploadRouter } from './upload';

export { EXPORT_LIMIT_BYTES, exportContent } from './natives';
export type { DriveFile } from './store';

export interface GoogleDriveEmulatorOptions {
  port?: number;
  clients?: OAuthClient[];
  accessTokenTtlSeconds?: number;
}

export interface GoogleDriveEmulator {
  url: string;
  close(): Promise<void>;
  faults: Faults;
  counters: Counters;
  tokens: TokenStore;
  defaultClient: OAuthClient;
  /** Direct state access for tests. */
  store: DriveStore;
  uploadSessions: Map<string, UploadSessionState>;
  /** Throttled requests answer 403 userRateLimitExceeded ('403', the default) or 429. */
  throttleStyle: ThrottleStyle;
  seed(opts: DriveSeedOptions): ReturnType<typeof seedDrive>;
  seedNatives(): ReturnType<typeof seedNatives>;
}

const DEFAULT_CLIENT: OAuthClient = {
  clientId: 'google_drive-emulator-client',
  clientSecret: 'google_drive-emulator-secret',
};

/** Counter keys with ids replaced, e.g. "GET /drive/v3/files/{id}". */
const keyOf = (req: express.Request): string =>
  `${req.method} ${req.path.replace(/\/files\/(?!generateIds$)[^/]+/, '/files/{id}')}`;

export async function startGoogleDriveEmulator(
  opts: GoogleDriveEmulatorOptions = {},
): Promise<GoogleDriveEmulator> {
  const clients = opts.clients ?? [DEFAULT_CLIENT];
  const defaultClient = clients[0]!;
  const store = new DriveStore();
  const counters = new Counters();
  const tokens = new TokenStore(clients, opts.accessTokenTtlSeconds ?? 3600);
  const uploadSessions = new Map<string, UploadSessionState>();
  const state = { throttleStyle: '403' as ThrottleStyle };
  const faults = new Faults(
    driveFaultResponses(() => state.throttleStyle),
    counters,
  );
  const seed = (o: DriveSeedOptions) => {
    uploadSessions.clear();
    return seedDrive(store, o);
  };

  const app = express();
  app.disable('x-powered-by');
  // Google's consent screen, reduced to its outcome: redirect back with a code.
  app.get(['/o/oauth2/auth', '/o/oauth2/v2/auth'], (req, res) => {
    const clientId = String(req.query.client_id ?? '');
    const redirectUri = String(req.query.redirect_uri ?? '');
    if (!tokens.isClient(clientId) || !redirectUri) {
      res.status(400).send('Error 400: invalid_request');
      return;
    }
    const pkce = pkceOf(req.query);
    if (pkce && 'error' in pkce) {
      res.status(400).send(`Error 400: invalid_request (${pkce.error})`);
      return;
    }
    redirectWithCode(res, tokens, clientId, redirectUri, req.query.state, pkce);
  });
  app.post('/token', express.urlencoded({ extended: false }), tokenEndpoint(tokens));

  const api = express.Router();
  api.use((req, _res, next) => next(/^\/(upload\/)?drive\/v3\//.test(req.path) ? undefined : 'router'));
  api.use(counters.middleware(keyOf));
  api.use(faults.middleware);
  api.use((req, res, next) => {
    // A session URI is its own credential: chunk PUTs need no bearer token.
    if (req.method === 'PUT' && req.query.upload_id !== undefined) return next();
    if (!tokens.validate(bearerToken(req))) return unauthenticated(res);
    next();
  });
  api.use(filesRouter(store, faults));
  api.use(uploadRouter(store, uploadSessions));
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
    seedNatives: () => seedNatives(store),
  };
}
