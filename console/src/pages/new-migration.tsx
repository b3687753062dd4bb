// New migration: source and destination (connection and path), conflict policy, dry run.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, PageHeader, useLoad } from '../components';
import { navigate } from '../router';
import { SERVICE_LABELS, type Connection, type Migration } from '../types';

const CONFLICTS = [
  ['skip', 'Skip files that already exist'],
  ['overwrite', 'Overwrite them'],
  ['rename', 'Keep both (rename the copy)'],
  ['newer', 'Overwrite only with newer files'],
] as const;

export function EndpointFields(props: {
  legend: string;
  prefix: string;
  connections: Connection[];
  value: { connection_id: string; path: string };
  onChange: (v: { connection_id: string; path: string }) => void;
}) {
  const { prefix, value } = props;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <label for={`${prefix}-connection`}>Connection</label>
      <select
        id={`${prefix}-connection`}
        required
        value={value.connection_id}
        onChange={(e) => props.onChange({ ...value, connection_id: e.currentTarget.value })}
      >
        <option value="">Choose…</option>
        {props.connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({SERVICE_LABELS[c.service]})
          </option>
        ))}
      </select>
      <label for={`${prefix}-path`}>Path</label>
      <input
        id={`${prefix}-path`}
        required
        class="mono"
        value={value.path}
        onInput={(e) => props.onChange({ ...value, path: e.currentTarget.value })}
      />
    </fieldset>
  );
}

export function NewMigrationPage() {
  const conns = useLoad(() => api<{ connections: Connection[] }>('GET', '/v1/connections?page_size=200'));
  const [source, setSource] = useState({ connection_id: '', path: '/' });
  const [destination, setDestination] = useState({ connection_id: '', path: '/' });
  const [conflict, setConflict] = useState('skip');
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const list = conns.data?.connections ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const m = await api<Migration>('POST', '/v1/migrations', {
        source,
        destination,
        options: { conflict, dry_run: dryRun },
      });
      navigate(`/migrations/${m.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title="New migration" />
      <ErrorNotice error={error ?? conns.error} />
      <form class="card form" onSubmit={submit}>
        <div class="two">
          <EndpointFields
            legend="Copy from"
            prefix="source"
            connections={list}
            value={source}
            onChange={setSource}
          />
          <EndpointFields
            legend="Copy to"
            prefix="destination"
            connections={list}
            value={destination}
            onChange={setDestination}
          />
        </div>
        <label for="conflict">When a file exists at the destination</label>
        <select id="conflict" value={conflict} onChange={(e) => setConflict(e.currentTarget.value)}>
          {CONFLICTS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> Dry
          run: list what would be copied, copy nothing
        </label>
        <div class="row">
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start migration'}
          </button>
          <a class="button secondary" href="#/migrations">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
