// Settings > API Keys: generate a named key with a scope (shown once, with a copy button and a warning),
// list keys by prefix, revoke.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import {
  ConfirmButton,
  CopyButton,
  EmptyRow,
  ErrorNotice,
  FormActions,
  Notice,
  PageHeader,
  useLoad,
} from '../components';
import { when } from '../format';
import type { ApiKey } from '../types';

const SCOPES = [
  ['read', 'Read — every GET: browse, list, watch'],
  ['write', 'Write — also start migrations and syncs, manage connections'],
  ['admin', 'Admin — also manage API keys, webhooks and users'],
] as const;

export function ApiKeysPage() {
  const keys = useLoad(() => api<{ api_keys: ApiKey[] }>('GET', '/v1/api-keys'));
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [created, setCreated] = useState<(ApiKey & { key: string }) | undefined>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState(false);
  // Keyboard users land where the next step is: the name when the form opens, the key once made.
  const nameField = useRef<HTMLInputElement>(null);
  const keyField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) nameField.current?.focus();
  }, [open]);
  useEffect(() => {
    if (created) keyField.current?.focus();
  }, [created]);

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      setCreated(await api<ApiKey & { key: string }>('POST', '/v1/api-keys', { name, scope }));
      setName('');
      setScope('read'); // the next key starts from the least it may do again
      setOpen(false);
      setError(undefined);
      await keys.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (k: ApiKey) => {
    try {
      await api('DELETE', `/v1/api-keys/${encodeURIComponent(k.id)}`);
      if (created?.id === k.id) setCreated(undefined);
      await keys.reload();
    } catch (err) {
      setError(err);
    }
  };
  const live = keys.data?.api_keys.filter((k) => !k.revoked_at) ?? [];
  const revoked = keys.data?.api_keys.filter((k) => k.revoked_at) ?? [];

  return (
    <>
      <PageHeader title="API Keys">
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          Generate New API Key
        </button>
      </PageHeader>
      <p class="lead">
        Keys let scripts and the SDKs call the API as this account: send{' '}
        <code>Authorization: Bearer mc_…</code>.
      </p>
      <ErrorNotice error={error ?? keys.error} />
      {open && (
        <form class="card form" onSubmit={create} aria-label="New API key">
          <label for="key-name">Name</label>
          <input
            ref={nameField}
            id="key-name"
            required
            maxLength={200}
            placeholder="e.g. nightly backup script"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <fieldset>
            <legend>Scope</legend>
            {SCOPES.map(([value, label]) => (
              <label class="radio" key={value}>
                <input
                  type="radio"
                  name="scope"
                  value={value}
                  checked={scope === value}
                  onChange={() => setScope(value)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <FormActions submit="Create API Key" onCancel={() => setOpen(false)} />
        </form>
      )}
      {created && (
        <div class="card secret" aria-labelledby="new-key-title">
          <h2 id="new-key-title">Your new API key “{created.name}”</h2>
          <Notice kind="warning">
            <strong>Copy it now: it will not be shown again.</strong> Keep it secret — anyone with this key
            can act as your account with scope <b>{created.scope}</b>. Do not commit it to code or share it;
            revoke it here if it leaks.
          </Notice>
          <div class="row">
            <input
              ref={keyField}
              data-secret
              class="mono"
              readOnly
              value={created.key}
              aria-label="New API key"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={created.key} />
          </div>
          <button type="button" class="link" onClick={() => setCreated(undefined)}>
            I have stored it safely — hide it
          </button>
        </div>
      )}
      <table>
        <caption>Active keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scope</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.map((k) => (
            <tr key={k.id} data-key-id={k.id}>
              <td>{k.name}</td>
              <td class="mono">{k.prefix}…</td>
              <td>
                <span class={`badge scope-${k.scope}`}>{k.scope}</span>
              </td>
              <td>{when(k.created_at)}</td>
              <td>{k.last_used_at ? when(k.last_used_at) : 'never'}</td>
              <td class="right">
                <ConfirmButton
                  label="Revoke"
                  confirm={`Revoke “${k.name}”? Programs using it stop working.`}
                  onConfirm={() => revoke(k)}
                />
              </td>
            </tr>
          ))}
          {keys.data && !live.length && <EmptyRow colSpan={6}>No active keys.</EmptyRow>}
        </tbody>
      </table>
      {revoked.length > 0 && (
        <details>
          <summary>Revoked keys ({revoked.length})</summary>
          <ul class="plain">
            {revoked.map((k) => (
              <li key={k.id}>
                <span class="mono">{k.prefix}…</span> {k.name} — revoked {when(k.revoked_at)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
