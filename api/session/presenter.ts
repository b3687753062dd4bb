// A session and its user as the API shows them (never the session's own token).
import type { Config } from '../../config';
import type { User } from '../../store/types';
import type { AuthContext } from '../http/route';
import type { z } from '../http/zod';
import { sessionLimits } from './policy';
import type { sessionSchema, userSchema } from './schemas';

export const presentUser = (u: User): z.infer<typeof userSchema> => ({
  id: u.id,
  email: u.email,
  role: u.role,
  has_password: u.hasPassword,
  created_at: u.createdAt,
});

/** A caller known by its session. */
export type SessionAuth = Required<Pick<AuthContext, 'account' | 'user' | 'scope' | 'session'>>;

export const presentSession = (auth: SessionAuth, config: Config): z.infer<typeof sessionSchema> => ({
  user: presentUser(auth.user),
  account: { id: auth.account.id, name: auth.account.name, plan: auth.account.plan },
  scope: auth.scope,
  csrf_token: auth.session.csrfToken,
  expires_at: auth.session.expiresAt,
  idle_timeout_seconds: Math.round(sessionLimits(config).idleMs / 1000),
});
