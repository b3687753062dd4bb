// One-time sign-in links for operators' tools: `npm start` prints one for the development account's
// owner, `migrateclouds admin user create` one for the user it makes (who may choose a password there).
import type { Store, User } from '../../store/types';
import { consoleLinkUrl, LOGIN_LINK_TTL_MS } from './policy';

export async function issueLoginLink(
  store: Store,
  config: { PUBLIC_URL?: string; PORT: number },
  user: User,
  now = new Date(),
): Promise<{ url: string; expiresAt: string }> {
  const { token, expiresAt } = await store.loginTokens.create({
    accountId: user.accountId,
    purpose: 'login',
    userId: user.id,
    now,
    expiresAt: new Date(now.getTime() + LOGIN_LINK_TTL_MS),
  });
  return { url: consoleLinkUrl(config, 'link', token), expiresAt };
}
