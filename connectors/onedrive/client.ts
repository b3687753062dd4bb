// The official Graph SDK set up for one connection. The chain is our auth middleware →
// HTTPMessageHandler, with no RetryHandler on purpose: the engine retries every call itself under
// the connection's shared request budget, honouring Retry-After there; a RetryHandler would sleep
// inside a call (up to 3 × Retry-After) where that budget cannot see it, and would hide throttling
// from the classification below. Our middleware attaches the bearer token to every SDK request (the
// SDK's own provider skips plain-http hosts such as an emulator's), and refuses any request to another
// origin than the configured API's before it leaves. api() takes paths only (the SDK reads an
// "https://" anywhere in its argument as a host to switch to), and next and delta links are followed
// only when they are on that origin. Downloads redirect to other hosts; fetch drops the Authorization
// header on a cross-origin redirect.
import {
  Client,
  type Context,
  GraphClientError,
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
  /**
   * The path to hand to api() for an absolute @odata.nextLink or deltaLink (origin and /v1.0 stripped);
   * a link to another origin is refused (fatal_connection).
   */
  linkPath(link: string): string;
}

/** A refusal the SDK passes through unchanged (it wraps any other error as a network failure). */
const refusal = (message: string): GraphClientError => {
  const err = new GraphClientError(message);
  err.customError = new ConnectorError('fatal_connection', message);
  return err;
};

/** A path below the version, as api() must be given: no scheme, no host, no "//" (a network path). */
function checkedPath(path: string, apiOrigin: string): string {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\') || /:\/\//.test(path)) {
    throw refusal(`Refusing a Graph address that is not a path on ${apiOrigin}`);
  }
  return path;
}

/** Attaches the bearer token, on the API's origin only (exported for its test). */
export class BearerMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly tokens: GraphTokens,
    private readonly apiOrigin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const origin = URL.canParse(url) ? new URL(url).origin : null;
    if (origin !== this.apiOrigin) {
      throw refusal(
        `Refusing to send a Graph request to ${origin ?? 'an unparsable URL'}: not ${this.apiOrigin}`,
      );
    }
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
  const apiOrigin = new URL(baseUrl).origin;
  const tokens = new GraphTokens(options);
  const client = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    middleware: [new BearerMiddleware(tokens, apiOrigin), new HTTPMessageHandler()],
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
    api: (path) => client.api(checkedPath(path, apiOrigin)),
    call: (what, fn) => (options.gate ?? ungated)(() => call(what, fn)),
    linkPath(link) {
      const url = URL.canParse(link) ? new URL(link) : null;
      if (url?.origin !== apiOrigin) {
        throw new ConnectorError(
          'fatal_connection',
          `Graph answered a link to ${url?.origin ?? 'an unparsable URL'}, not ${apiOrigin}: not followed`,
        );
      }
      const path = url.pathname.replace(/^\/v1\.0(?=\/)/, '') + url.search;
      try {
        return checkedPath(path, apiOrigin);
      } catch {
        throw new ConnectorError(
          'fatal_connection',
          `Graph answered a link that is not a path on ${apiOrigin}`,
        );
      }
    },
  };
}
