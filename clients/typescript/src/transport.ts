// The generated layer (openapi-fetch over the generated `paths`) plus what every call shares: the API key,
// the retrying fetch, and turning error envelopes into typed errors.
import createClient, { type Client } from 'openapi-fetch';
import { errorFromResponse, NetworkError } from './errors';
import type { paths } from './generated/api';
import { retryingFetch, type RetryOptions } from './retry';

// JSON is the media type the typed client reads: the items route's CSV/NDJSON alternatives go through raw().
export type ApiClient = Client<paths, 'application/json'>;

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  retry?: RetryOptions;
  /** A fetch to send requests with (default: Node's global fetch). */
  fetch?: typeof fetch;
  /** Sent as User-Agent (default "migrateclouds-typescript/<version>"). */
  userAgent?: string;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export class Transport {
  /** The typed openapi-fetch client: every endpoint of the API, as generated from its OpenAPI document. */
  readonly api: ApiClient;
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = retryingFetch(options.retry, options.fetch ?? globalThis.fetch);
    this.headers = {
      authorization: `Bearer ${options.apiKey}`,
      'user-agent': options.userAgent ?? 'migrateclouds-typescript/0.1.0',
    };
    this.api = createClient<paths, 'application/json'>({
      baseUrl: this.baseUrl,
      fetch: this.fetch,
      headers: this.headers,
    });
  }

  /** The `data` of a success envelope, or the typed error of an error envelope. */
  async unwrap<T>(call: Promise<Answer<{ data: T }>>): Promise<T> {
    let answer: Answer<{ data: T }>;
    try {
      answer = await call;
    } catch (err) {
      throw networkError(err, this.baseUrl);
    }
    if (answer.error !== undefined || !answer.response.ok)
      throw errorFromResponse(answer.response, answer.error);
    return answer.data!.data;
  }

  /** A raw request (streams, formats the document does not type): the same key, retries and errors. */
  async raw(
    path: string,
    init: RequestInit & { query?: Record<string, string | undefined> } = {},
  ): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(init.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await this.fetch(url, {
        ...init,
        headers: { ...this.headers, ...(init.headers as Record<string, string>) },
      });
    } catch (err) {
      throw networkError(err, this.baseUrl);
    }
    if (!response.ok) {
      const text = await response.text();
      throw errorFromResponse(response, parseJson(text));
    }
    return response;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkError(err: unknown, baseUrl: string): unknown {
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (!(err instanceof TypeError)) return err;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new NetworkError({
    code: 'network_error',
    status: 0,
    message: `Could not reach ${baseUrl}: ${cause?.code ?? cause?.message ?? err.message}`,
    details: 'Check the API URL (MIGRATECLOUDS_API_URL) and that the server is running.',
  });
}
