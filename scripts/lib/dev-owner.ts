// The development account's console owner (`owner@localhost`, made on first start) and a fresh one-time
// sign-in link for them each `npm start`.
import { issueLoginLink } from '../../api/session/login-link';
import type { Config } from '../../config';
import type { Store } from '../../store/types';

export const DEV_OWNER_EMAIL = 'owner@localhost';

export interface DevOwner {
  email: string;
  signInUrl: string;
  created: boolean;
}

export async function ensureDevOwner(store: Store, config: Config, accountId: string): Promise<DevOwner> {
  let created = false;
  let owner = (await store.users.list(accountId)).find((u) => u.role === 'owner');
  if (!owner) {
    // Another account (an older data dir's) may hold the address: fall back to one naming this account.
    owner =
      (await store.users.create({ accountId, email: DEV_OWNER_EMAIL, role: 'owner' })) ??
      (await store.users.create({ accountId, email: `owner+${accountId}@localhost`, role: 'owner' }));
    if (!owner) throw new Error(`could not create the console owner of ${accountId}`);
    created = true;
  }
  const { url } = await issueLoginLink(store, config, owner);
  return { email: owner.email, signInUrl: url, created };
}
