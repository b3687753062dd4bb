import type { Transport } from '../transport';
import type { Account, ApiKey, CallOptions, CreatedApiKey } from '../types';

export class AccountResource {
  constructor(private readonly t: Transport) {}

  /** The caller's account: id, name, plan and rate limit. */
  get(options: CallOptions = {}): Promise<Account> {
    return this.t.unwrap(this.t.api.GET('/v1/account', { signal: options.signal }));
  }
}

export class ApiKeysResource {
  constructor(private readonly t: Transport) {}

  /** Every key of the account (prefixes only; this list is not paged). */
  async list(options: CallOptions = {}): Promise<ApiKey[]> {
    const data = await this.t.unwrap(this.t.api.GET('/v1/api-keys', { signal: options.signal }));
    return data.api_keys;
  }

  /** A new key; its `key` is shown this once. */
  create(body: { name: string; scope?: ApiKey['scope'] }, options: CallOptions = {}): Promise<CreatedApiKey> {
    return this.t.unwrap(this.t.api.POST('/v1/api-keys', { body, signal: options.signal }));
  }

  revoke(id: string, options: CallOptions = {}): Promise<ApiKey> {
    return this.t.unwrap(
      this.t.api.DELETE('/v1/api-keys/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }
}
