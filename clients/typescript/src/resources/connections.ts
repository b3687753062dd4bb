import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type { paths } from '../generated/api';
import type { Authorization, CallOptions, Connection, CreateConnectionRequest, PageOptions } from '../types';

/** The services with a consent screen. */
export type OAuthService =
  paths['/v1/connections/oauth/{service}/authorize']['get']['parameters']['path']['service'];

export class ConnectionsResource {
  constructor(private readonly t: Transport) {}

  /** Every connection, oldest first. */
  list(options: PageOptions & CallOptions = {}): Paginated<Connection> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/connections', {
          params: { query: { page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.connections, nextPageToken: data.next_page_token };
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Connection> {
    return this.t.unwrap(
      this.t.api.GET('/v1/connections/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** A local folder ({service: "local", config: {root}}) or a cloud account by refresh token. */
  create(body: CreateConnectionRequest, options: CallOptions = {}): Promise<Connection> {
    return this.t.unwrap(this.t.api.POST('/v1/connections', { body, signal: options.signal }));
  }

  delete(id: string, options: CallOptions = {}): Promise<Connection> {
    return this.t.unwrap(
      this.t.api.DELETE('/v1/connections/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /**
   * Starts the OAuth flow: open the answer's authorization_url in a browser; the connection
   * (authorization.connection_id) exists once the user has consented. With connectionId, re-authorizes it.
   */
  authorize(
    service: OAuthService,
    input: { name?: string; connectionId?: string } = {},
    options: CallOptions = {},
  ): Promise<Authorization> {
    return this.t.unwrap(
      this.t.api.GET('/v1/connections/oauth/{service}/authorize', {
        params: { path: { service }, query: { name: input.name, connection_id: input.connectionId } },
        signal: options.signal,
      }),
    );
  }
}
