// The official Graph SDK set up for one connection. The chain is our auth middleware →
// HTTPMessageHandler, with no RetryHandler on purpose: the engine retries every call itself under
// the connection's shared request budget, honouring Retry-After there; a RetryHandler would sleep
// inside a call (up to 3 × Retry-After) where that budget cannot see it, and would hide throttling
// from the classification below. Our middleware attaches the bearer token to every SDK request (the
// SDK's own provider skips plain-http hosts such as an emulator's).
import {
  Client,
  type Context,
  type GraphRequest,
  HTTPMessageHandler,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { ungated, type CloudConnectorOptions } from '../cloud';
import { boundInit } from '../http';
import { ConnectorError } from '../types';
import { GraphTokens } from './auth';
import { classifyGraphError, statusOf } from './errors';

export interface GraphClient {
  /** A request for a path below the version, e.g. "/me/drive/root". */
  api(path: string): GraphRequest;
  /** Runs SDK calls with a valid token; refreshes once on a 401; throws ConnectorError. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
  /** The path to hand to api() for an absolute @odata.nextLink (origin and /v1.0 stripped). */
  linkPath(link: string): string;
}

class BearerMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly tokens: GraphTokens) {}

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    // The SDK's HTTPMessageHandler calls the global fetch with these options: our pool and timeouts.
    Object.assign(options, boundInit(options));
    const headers = (options.headers ?? {}) as Record<string, string>;
    if (this.tokens.accessToken) headers.Authorization = `Bearer ${this.tokens.accessToken}`;
    options.headers = headers;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function createGraphClient(options: CloudConnectorOptions): GraphClient {
  // Accept "https://graph.microsoft.com/v1.0" as well as a bare origin (an emulator's).
  const baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/v1\.0$/, '');
  const tokens = new GraphTokens(options);
  const client = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    middleware: [new BearerMiddleware(tokens), new HTTPMessageHandler()],
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    await tokens.ensure();
    try {
      return await fn();
    } catch (err) {
      if (statusOf(err) !== 401) throw classifyGraphError(err, what);
    }
    await tokens.refresh();
    try {
      return await fn();
    } catch (err) {
      const e = classifyGraphError(err, what);
      throw e.kind === 'fatal_connection'
        ? new ConnectorError('fatal_connection', `${e.message} even after a token refresh`)
        : e;
    }
  }

  return {
    api: (path) => client.api(path),
    call: (what, fn) => (options.gate ?? ungated)(() => call(what, fn)),
    linkPath(link) {
      const url = new URL(link, baseUrl);
      return url.pathname.replace(/^\/v1\.0(?=\/)/, '') + url.search;
    },
  };
}
