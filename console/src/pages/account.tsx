// Account: name, plan and rate limit; the account's users, (owners) an invite by one-time link, and
// signing out everywhere.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ConfirmButton, CopyButton, ErrorNotice, Notice, PageHeader, useLoad } from '../components';
import { when } from '../format';
import type { SessionInfo, User } from '../types';

interface Account {
  id: string;
  name: string;
  plan: string;
  rate_limit: { requests_per_minute: number };
  created_at: string;
}

export function AccountPage({ session, onSignedOut }: { session: SessionInfo; onSignedOut: () => void }) {
  const account = useLoad(() => api<Account>('GET', '/v1/account'));
  const users = useLoad(() => api<{ users: User[] }>('GET', '/v1/users'));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const [invite, setInvite] = useState<{ email: string; invite_url: string; expires_at: string }>();
  const [error, setError] = useState<unknown>();
  const a = account.data;
  const owner = session.user.role === 'owner';

  const send = async (e: Event) => {
    e.preventDefault();
    try {
      setInvite(await api('POST', '/v1/invites', { email, role }));
      setEmail('');
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageHeader title="Account" />
      <ErrorNotice error={account.error ?? users.error} />
      {a && (
        <dl class="card stats">
          <div>
            <dt>Name</dt>
            <dd>{a.name}</dd>
          </div>
          <div>
            <dt>Plan</dt>
            <dd class="capitalize">{a.plan}</dd>
          </div>
          <div>
            <dt>Rate limit</dt>
            <dd>{a.rate_limit.requests_per_minute} requests/minute</dd>
          </div>
          <div>
            <dt>Account ID</dt>
            <dd class="mono small">{a.id}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{when(a.created_at)}</dd>
          </div>
          <div>
            <dt>You</dt>
            <dd>
              {session.user.email} ({session.user.role})
            </dd>
          </div>
        </dl>
      )}
      <h2>Users</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Password</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>
                <span class={`badge role-${u.role}`}>{u.role}</span>
              </td>
              <td>{u.has_password ? 'set' : 'not yet'}</td>
              <td>{when(u.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {owner && (
        <form class="card form" onSubmit={send} aria-label="Invite a user">
          <h3>Invite someone</h3>
          <ErrorNotice error={error} />
          <div class="two">
            <div>
              <label for="invite-email">Email</label>
              <input
                id="invite-email"
                type="email"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </div>
            <div>
              <label for="invite-role">Role</label>
              <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                <option value="member">Member — migrations, syncs, connections</option>
                <option value="owner">Owner — also keys, webhooks, users</option>
              </select>
            </div>
          </div>
          <button type="submit">Create invite link</button>
        </form>
      )}
      {invite && (
        <div class="card secret">
          <Notice kind="info">
            Send this one-time link to {invite.email}. It works once, until {when(invite.expires_at)}.
          </Notice>
          <div class="row">
            <input data-secret class="mono" readOnly value={invite.invite_url} aria-label="Invite link" />
            <CopyButton text={invite.invite_url} />
          </div>
        </div>
      )}
      <h2>Your sessions</h2>
      <p class="lead">
        Signed in on another computer, or lost one? End every session of {session.user.email}, this one
        included. API keys keep working: revoke them under Settings › API Keys.
      </p>
      <ConfirmButton
        label="Sign out everywhere"
        confirm="End every session?"
        onConfirm={async () => {
          try {
            await api('DELETE', '/v1/sessions');
            onSignedOut();
          } catch (err) {
            setError(err);
          }
        }}
      />
    </>
  );
}
