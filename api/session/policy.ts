// How long sessions and links last, and what each role may do (the same scopes as API keys).
import type { Config } from '../../config';
import type { ApiKeyScope, UserRole } from '../../store/types';
import { publicBase } from '../connections/oauth/providers';

/** Owners manage keys, webhooks and users (`admin`); members run migrations, syncs and connections. */
export const scopeForRole = (role: UserRole): ApiKeyScope => (role === 'owner' ? 'admin' : 'write');

export const sessionLimits = (config: Config) => ({
  idleMs: config.MIGRATECLOUDS_SESSION_IDLE_MINUTES * 60_000,
  maxMs: config.MIGRATECLOUDS_SESSION_MAX_HOURS * 3_600_000,
});

/** A sign-in link lasts a day; an invite a week. */
export const LOGIN_LINK_TTL_MS = 24 * 3_600_000;
export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** Where a link opens the console; the token travels in the fragment, which never reaches a server log. */
export const consoleLinkUrl = (
  config: { PUBLIC_URL?: string; PORT: number },
  kind: 'link' | 'invite',
  token: string,
): string => `${publicBase(config)}/console/#/${kind}/${token}`;
