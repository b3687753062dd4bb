// Syncs: recurring migrations on a schedule; create, pause / resume, delete.
import { useState } from 'preact/hooks';
import { api } from '../api';
import {
  ConfirmButton,
  EmptyRow,
  ErrorNotice,
  FormActions,
  PageHeader,
  StatusBadge,
  useLoad,
} from '../components';
import { when } from '../format';
import type { Connection, Sync } from '../types';
import { EndpointFields } from './new-migration';

export function SyncsPage() {
  const syncs = useLoad(() => api<{ syncs: Sync[] }>('GET', '/v1/syncs?page_size=100'));
  const conns = useLoad(() => api<{ connections: Connection[] }>('GET', '/v1/connections?page_size=200'));
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState({ connection_id: '', path: '/' });
  const [destination, setDestination] = useState({ connection_id: '', path: '/' });
  const [every, setEvery] = useState('1h');
  const names = new Map(conns.data?.connections.map((c) => [c.id, c.name]));

  const act = async (method: string, path: string, body?: unknown) => {
    try {
      await api(method, path, body);
      setError(undefined);
      await syncs.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    const schedule = /\s/.test(every.trim()) ? { cron: every.trim() } : { interval: every.trim() };
    if (await act('POST', '/v1/syncs', { source, destination, schedule })) setOpen(false);
  };
  return (
    <>
      <PageHeader title="Syncs">
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          New sync
        </button>
      </PageHeader>
      <p class="lead">A sync runs a migration on a schedule and copies only what changed.</p>
      <ErrorNotice error={error ?? syncs.error} />
      {open && (
        <form class="card form" onSubmit={create} aria-label="New sync">
          <div class="two">
            <EndpointFields
              legend="From"
              prefix="sync-source"
              connections={conns.data?.connections ?? []}
              value={source}
              onChange={setSource}
            />
            <EndpointFields
              legend="To"
              prefix="sync-destination"
              connections={conns.data?.connections ?? []}
              value={destination}
              onChange={setDestination}
            />
          </div>
          <label for="sync-every">
            Every (an interval such as 15m or 1h, or a cron expression such as 0 2 * * *)
          </label>
          <input
            id="sync-every"
            required
            class="mono"
            value={every}
            onInput={(e) => setEvery(e.currentTarget.value)}
          />
          <FormActions submit="Create sync" onCancel={() => setOpen(false)} />
        </form>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Schedule</th>
            <th scope="col">State</th>
            <th scope="col">Next run</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {syncs.data?.syncs.map((s) => (
            <tr key={s.id}>
              <td>
                {names.get(s.source.connection_id) ?? s.source.connection_id}:{s.source.path}
              </td>
              <td>
                {names.get(s.destination.connection_id) ?? s.destination.connection_id}:{s.destination.path}
              </td>
              <td class="mono">{s.schedule.cron ?? `every ${s.schedule.interval}`}</td>
              <td>
                <StatusBadge status={s.state} />
              </td>
              <td>{when(s.next_run_at)}</td>
              <td class="right">
                {s.state === 'active' ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void act('POST', `/v1/syncs/${s.id}/pause`)}
                  >
                    Pause
                  </button>
                ) : (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void act('POST', `/v1/syncs/${s.id}/resume`)}
                  >
                    Resume
                  </button>
                )}{' '}
                <ConfirmButton
                  label="Delete"
                  confirm="Delete this sync?"
                  onConfirm={async () => void (await act('DELETE', `/v1/syncs/${s.id}`))}
                />
              </td>
            </tr>
          ))}
          {syncs.data && !syncs.data.syncs.length && <EmptyRow colSpan={6}>No syncs yet.</EmptyRow>}
        </tbody>
      </table>
    </>
  );
}
