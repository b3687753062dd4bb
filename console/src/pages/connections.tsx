// Connections: connect a cloud through its OAuth consent screen (in a popup the console watches), see each
// connection's status, authorize again, remove; local folders inside the server's granted roots.
import { useState } from 'preact/hooks';
import { api } from '../api';
import {
  ConfirmButton,
  EmptyRow,
  ErrorNotice,
  FormActions,
  Notice,
  PageHeader,
  StatusBadge,
  useLoad,
} from '../components';
import { when } from '../format';
import { SERVICE_LABELS, type Connection } from '../types';

const CLOUDS = ['google_drive', 'onedrive', 'dropbox'] as const;
const WAIT_MS = 10 * 60_000;

export function ConnectionsPage() {
  const list = useLoad(() => api<{ connections: Connection[] }>('GET', '/v1/connections?page_size=200'));
  const [error, setError] = useState<unknown>();
  const [waiting, setWaiting] = useState<string>();
  const [done, setDone] = useState<string>();

  /** Runs the OAuth flow in a popup and waits until the connection exists (or was re-authorized). */
  const connect = async (service: string, existing?: Connection) => {
    setError(undefined);
    setDone(undefined);
    // Opened now, in the click, so no popup blocker stops it; it goes to the consent screen once we know where.
    const popup = window.open('', 'mc-oauth', 'popup,width=560,height=720');
    try {
      const query = existing
        ? `connection_id=${encodeURIComponent(existing.id)}`
        : `name=${encodeURIComponent(`My ${SERVICE_LABELS[service]}`)}`;
      const auth = await api<{ authorization_url: string; connection_id: string }>(
        'GET',
        `/v1/connections/oauth/${service}/authorize?${query}`,
      );
      if (!popup) {
        window.location.href = auth.authorization_url;
        return;
      }
      popup.location.href = auth.authorization_url;
      setWaiting(SERVICE_LABELS[service]);
      const since = existing?.updated_at;
      for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 1000));
        const c = await api<Connection>('GET', `/v1/connections/${auth.connection_id}`).catch(
          () => undefined,
        );
        if (c && c.status === 'active' && (!existing || c.updated_at !== since)) {
          setDone(`${c.name} is connected.`);
          break;
        }
        if (popup.closed) break;
      }
    } catch (err) {
      setError(err);
    } finally {
      popup?.close();
      setWaiting(undefined);
      await list.reload();
    }
  };
  const remove = async (c: Connection) => {
    try {
      await api('DELETE', `/v1/connections/${encodeURIComponent(c.id)}`);
      await list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader title="Connections" />
      <p class="lead">
        Connect your cloud accounts; MigrateClouds keeps their tokens sealed and never shows them.
      </p>
      <div class="connect-grid">
        {CLOUDS.map((s) => (
          <button
            type="button"
            key={s}
            class={`connect connect-${s}`}
            onClick={() => void connect(s)}
            disabled={!!waiting}
          >
            <span class="connect-icon" aria-hidden="true">
              {SERVICE_LABELS[s]![0]}
            </span>
            Connect {SERVICE_LABELS[s]}
          </button>
        ))}
      </div>
      {waiting && <Notice kind="info">Finish the consent at {waiting} in the window that opened…</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorNotice error={error ?? list.error} />
      <LocalFolderForm onCreated={list.reload} />
      <table>
        <caption>Your connections</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Service</th>
            <th scope="col">Status</th>
            <th scope="col">Connected</th>
            <th scope="col">ID</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.connections.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{SERVICE_LABELS[c.service] ?? c.service}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{when(c.created_at)}</td>
              <td class="mono small">{c.id}</td>
              <td class="right">
                {c.service !== 'local' && (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void connect(c.service, c)}
                    disabled={!!waiting}
                  >
                    Re-authorize
                  </button>
                )}{' '}
                <ConfirmButton label="Remove" confirm={`Remove “${c.name}”?`} onConfirm={() => remove(c)} />
              </td>
            </tr>
          ))}
          {list.data && !list.data.connections.length && <EmptyRow colSpan={6}>No connections yet.</EmptyRow>}
        </tbody>
      </table>
    </>
  );
}

function LocalFolderForm({ onCreated }: { onCreated: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [root, setRoot] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/v1/connections', { service: 'local', name: name || undefined, config: { root } });
      setOpen(false);
      setError(undefined);
      await onCreated();
    } catch (err) {
      setError(err);
    }
  };
  if (!open)
    return (
      <p>
        <button type="button" class="link" onClick={() => setOpen(true)}>
          + Add a local folder of the server
        </button>
      </p>
    );
  return (
    <form class="card form" onSubmit={submit} aria-label="New local folder connection">
      <ErrorNotice error={error} />
      <label for="local-name">Name</label>
      <input id="local-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="local-root">
        Folder on the server (absolute path inside a root granted to your account)
      </label>
      <input
        id="local-root"
        required
        class="mono"
        value={root}
        onInput={(e) => setRoot(e.currentTarget.value)}
      />
      <FormActions submit="Add folder" onCancel={() => setOpen(false)} />
    </form>
  );
}
