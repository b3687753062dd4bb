// The page tokens of GET /v1/files/list. A connector's own token holds a service's cursor or next-page
// link, so clients only ever see it sealed (common/sealed-page-token.ts), bound to the listing it
// continues; a token that does not open is refused, naming page_token, before any connector sees it.
import { invalidParameter } from '../../common/errors';
import {
  createPageTokenSealer,
  PAGE_TOKEN_TTL_SECONDS,
  type PageTokenBinding,
} from '../../common/sealed-page-token';
import { keysCurrentFirst, keyringFromSettings } from '../../common/keyring';
import type { Config } from '../../config';

export type { PageTokenBinding };

export interface FilePageTokens {
  seal(inner: string | null, binding: PageTokenBinding): string | null;
  /** The connector's token inside `token`; throws invalid_parameter page_token. */
  open(token: string | null | undefined, binding: PageTokenBinding): string | null;
}

export const PAGE_TOKEN_LIFETIME = `${PAGE_TOKEN_TTL_SECONDS / 60} minutes`;

const REFUSALS = {
  malformed: ['is malformed', 'Pass the next_page_token of the previous page unchanged.'],
  listing: [
    'belongs to another listing',
    'A page token continues only the listing it was returned for: same connection, path and recursive.',
  ],
  expired: [
    'has expired',
    `Page tokens are valid for ${PAGE_TOKEN_LIFETIME}; list again from the first page, without page_token.`,
  ],
} as const;

/**
 * Keyed from the deployment's keyring, so every API process accepts every other's tokens, and tokens
 * sealed under a key that was just rotated out still open.
 */
export function filePageTokens(
  config: Pick<Config, 'MIGRATECLOUDS_ENCRYPTION_KEY' | 'MIGRATECLOUDS_ENCRYPTION_KEYS'>,
): FilePageTokens {
  const keyring = keyringFromSettings(config);
  const sealer = createPageTokenSealer(keyring ? keysCurrentFirst(keyring) : []);
  return {
    seal: (inner, binding) => (inner === null ? null : sealer.seal(inner, binding)),
    open(token, binding) {
      if (!token) return null;
      const opened = sealer.open(token, binding);
      if (opened.ok) return opened.inner;
      const [message, details] = REFUSALS[opened.reason];
      throw invalidParameter('page_token', message, details);
    },
  };
}
