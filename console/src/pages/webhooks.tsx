// Webhooks: create (the signing secret shown once), delete, and each webhook's deliveries log.
import { useState } from 'preact/hooks';
import { api } from '../api';
import {
  ConfirmButton,
  CopyButton,
  EmptyRow,
  ErrorNotice,
  FormActions,
  Notice,
  PageHeader,
  StatusBadge,
  useLoad,
} from '../components';
import { when } from '../format';
import type { Delivery, Webhook } from '../types';

const EVENTS = [
  'migration.started',
  'migration.progress',
  'migration.paused',
  'migration.resumed',
  'migration.completed',
  'migration.completed_with_errors',
  'migration.failed',
  'migration.cancelled',
  'sync.run_started',
  'connection.needs_reauth',
];

export function WebhooksPage({ selected }: { selected?: string }) {
  const hooks = useLoad(() => api<{ webhooks: Webhook[] }>('GET', '/v1/webhooks?page_size=100'));
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['migration.completed', 'migration.failed']);
  const [secret, setSecret] = useState<string>();

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await api<Webhook & { secret: string }>('POST', '/v1/webhooks', { url, events });
      setSecret(made.secret);
      setOpen(false);
      setError(undefined);
      await hooks.reload();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (id: string) => {
    try {
      await api('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
      await hooks.reload();
    } catch (err) {
      setError(err);
    }
  };
  const toggle = (ev: string) =>
    setEvents(events.includes(ev) ? events.filter((x) => x !== ev) : [...events, ev]);
  return (
    <>
      <PageHeader title="Webhooks">
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          New webhook
        </button>
      </PageHeader>
      <p class="lead">MigrateClouds POSTs signed events to your HTTPS endpoint.</p>
      <ErrorNotice error={error ?? hooks.error} />
      {open && (
        <form class="card form" onSubmit={create} aria-label="New webhook">
          <label for="hook-url">Endpoint URL (https://)</label>
          <input
            id="hook-url"
            type="url"
            required
            class="mono"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <fieldset>
            <legend>Events</legend>
            <div class="checks">
              {EVENTS.map((ev) => (
                <label class="check" key={ev}>
                  <input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} /> {ev}
                </label>
              ))}
            </div>
          </fieldset>
          <FormActions submit="Create webhook" onCancel={() => setOpen(false)} />
        </form>
      )}
      {secret && (
        <div class="card secret">
          <Notice kind="warning">
            <strong>Signing secret — shown once.</strong> Store it where your endpoint verifies signatures;
            keep it secret.
          </Notice>
          <div class="row">
            <input data-secret class="mono" readOnly value={secret} aria-label="Webhook signing secret" />
            <CopyButton text={secret} />
          </div>
          <button type="button" class="link" onClick={() => setSecret(undefined)}>
            Hide it
          </button>
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {hooks.data?.webhooks.map((h) => (
            <tr key={h.id} aria-selected={h.id === selected}>
              <td class="mono small">{h.url}</td>
              <td>{h.events.length} events</td>
              <td>{when(h.created_at)}</td>
              <td class="right">
                <a class="button secondary" href={`#/webhooks/${h.id}`}>
                  Deliveries
                </a>{' '}
                <ConfirmButton label="Delete" confirm="Delete this webhook?" onConfirm={() => remove(h.id)} />
              </td>
            </tr>
          ))}
          {hooks.data && !hooks.data.webhooks.length && <EmptyRow colSpan={4}>No webhooks yet.</EmptyRow>}
        </tbody>
      </table>
      {selected && <Deliveries id={selected} />}
    </>
  );
}

function Deliveries({ id }: { id: string }) {
  const list = useLoad(
    () =>
      api<{ deliveries: Delivery[] }>(
        'GET',
        `/v1/webhooks/${encodeURIComponent(id)}/deliveries?page_size=50`,
      ),
    [id],
  );
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries of {id}</h2>
      <ErrorNotice error={list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.deliveries.map((d) => (
            <tr key={d.id}>
              <td class="mono small">{d.event_type}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.attempts}</td>
              <td>{d.last_error ?? ''}</td>
              <td>{when(d.created_at)}</td>
            </tr>
          ))}
          {list.data && !list.data.deliveries.length && <EmptyRow colSpan={5}>No deliveries yet.</EmptyRow>}
        </tbody>
      </table>
    </section>
  );
}
