// The console's shell: finds out who is signed in, then shows the sign-in pages or the app with its nav.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, setOnSignedOut } from './api';
import { navigate, segment, useRoute } from './router';
import type { SessionInfo } from './types';
import { AccountPage } from './pages/account';
import { ApiKeysPage } from './pages/api-keys';
import { ConnectionsPage } from './pages/connections';
import { MigrationDetailPage } from './pages/migration-detail';
import { MigrationsPage } from './pages/migrations';
import { NewMigrationPage } from './pages/new-migration';
import { InvitePage, LinkPage, SignInPage } from './pages/sign-in';
import { SyncsPage } from './pages/syncs';
import { WebhooksPage } from './pages/webhooks';
import './styles.css';

const NAV = [
  ['/migrations', 'Migrations'],
  ['/connections', 'Connections'],
  ['/syncs', 'Syncs'],
  ['/webhooks', 'Webhooks'],
  ['/settings/api-keys', 'Settings › API Keys'],
  ['/account', 'Account'],
] as const;

function App() {
  const route = useRoute();
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const signedIn = (s: SessionInfo | null) => {
    setCsrfToken(s?.csrf_token ?? '');
    setSession(s);
  };

  useEffect(() => {
    setOnSignedOut(() => signedIn(null));
    api<SessionInfo>('GET', '/v1/session').then(signedIn, () => signedIn(null));
  }, []);
  // Move focus to the new page's heading, so keyboard and screen-reader users know where they are.
  useEffect(() => document.querySelector<HTMLElement>('main h1')?.focus(), [route, session]);

  // Once used, a link's page is replaced (not pushed) so its token does not stay in the history.
  const leaveLink = () => window.location.replace('#/migrations');
  const [, page, arg] = route.split('/');
  if (page === 'link' && arg)
    return (
      <LinkPage
        token={arg}
        onSignedIn={(s) => {
          signedIn(s);
          leaveLink();
        }}
      />
    );
  if (page === 'invite' && arg)
    return (
      <InvitePage
        token={arg}
        onSignedIn={(s) => {
          signedIn(s);
          leaveLink();
        }}
      />
    );
  if (session === undefined) return <p class="loading">Loading…</p>;
  if (session === null)
    return (
      <SignInPage
        onSignedIn={(s) => {
          signedIn(s);
          if (route === '/') navigate('/migrations');
        }}
      />
    );

  const signedOut = () => {
    signedIn(null);
    navigate('/');
  };
  const signOut = async () => {
    await api('DELETE', '/v1/session').catch(() => undefined);
    signedOut();
  };
  const active = (path: string) => route === path || route.startsWith(`${path}/`);
  return (
    <div class="shell">
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.querySelector<HTMLElement>('main h1')?.focus();
        }}
      >
        Skip to content
      </a>
      <aside class="sidebar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ☁
          </span>{' '}
          MigrateClouds
        </div>
        <nav aria-label="Console">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={`#${path}`} aria-current={active(path) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="whoami">
          <span>{session.user.email}</span>
          <small>
            {session.account.name} · {session.user.role}
          </small>
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main">{pageFor(route, session, signedOut)}</main>
    </div>
  );
}

function pageFor(route: string, session: SessionInfo, signedOut: () => void) {
  const [, page, arg, sub] = route.split('/');
  switch (page) {
    case 'settings':
      return <ApiKeysPage />;
    case 'connections':
      return <ConnectionsPage />;
    case 'migrations':
      if (arg === 'new') return <NewMigrationPage />;
      if (arg) return <MigrationDetailPage id={segment(arg)} />;
      return <MigrationsPage />;
    case 'syncs':
      return <SyncsPage />;
    case 'webhooks':
      return <WebhooksPage selected={arg && sub === undefined ? segment(arg) : undefined} />;
    case 'account':
      return <AccountPage session={session} onSignedOut={signedOut} />;
    default:
      return <MigrationsPage />;
  }
}

render(<App />, document.getElementById('app')!);
