// Signing in: email and password, a one-time link (optionally choosing a password), or an invite.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice } from '../components';
import type { SessionInfo } from '../types';

type Done = (s: SessionInfo) => void;

function Card({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <main class="auth" id="main">
      <div class="auth-card">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ☁
          </span>{' '}
          MigrateClouds
        </div>
        <h1 tabIndex={-1}>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function SignInPage({ onSignedIn }: { onSignedIn: Done }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      onSignedIn(await api<SessionInfo>('POST', '/v1/session', { email, password }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Sign in">
      <form onSubmit={submit}>
        <ErrorNotice error={error} />
        <label for="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">
        No password yet? Use the one-time sign-in link printed by <code>npm start</code> or sent by an owner.
      </p>
    </Card>
  );
}

export function LinkPage({ token, onSignedIn }: { token: string; onSignedIn: Done }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const use = async (withPassword: boolean) => {
    try {
      onSignedIn(
        await api<SessionInfo>(
          'POST',
          `/v1/session/login-links/${encodeURIComponent(token)}`,
          withPassword ? { password } : {},
        ),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card title="Sign in with your link">
      <p>This link works once. Choose a password now to sign in with it next time, or just continue.</p>
      <ErrorNotice error={error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void use(true);
        }}
      >
        <label for="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          maxLength={1024}
          aria-describedby="pw-rules"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p id="pw-rules" class="hint">
          At least 12 characters, not your email, not a common password.
        </p>
        <div class="row">
          <button type="submit" disabled={!password}>
            Set password and sign in
          </button>
          <button type="button" class="secondary" onClick={() => void use(false)}>
            Sign in without a password
          </button>
        </div>
      </form>
    </Card>
  );
}

export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn: Done }) {
  const [info, setInfo] = useState<{ email: string; role: string; account_name: string }>();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    api<typeof info>('GET', `/v1/invites/${encodeURIComponent(token)}`).then(setInfo, setError);
  }, [token]);
  const accept = async (e: Event) => {
    e.preventDefault();
    try {
      onSignedIn(
        await api<SessionInfo>('POST', `/v1/invites/${encodeURIComponent(token)}/accept`, { password }),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card title="Join your team">
      <ErrorNotice error={error} />
      {info && (
        <form onSubmit={accept}>
          <p>
            <strong>{info.email}</strong> is invited to <strong>{info.account_name}</strong> as {info.role}.
          </p>
          <label for="invite-password">Choose a password</label>
          <input
            id="invite-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            maxLength={1024}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <p class="hint">At least 12 characters, not your email, not a common password.</p>
          <button type="submit">Join and sign in</button>
        </form>
      )}
    </Card>
  );
}
