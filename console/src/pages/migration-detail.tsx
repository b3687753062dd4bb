// One migration: live progress, pause / resume / cancel, the summary report with CSV and NDJSON
// downloads of every item, and the items, failed-only or all, page by page.
import { useState } from 'preact/hooks';
import { api, q } from '../api';
import { EmptyRow, ErrorNotice, PageHeader, ProgressBar, StatusBadge, useLoad, usePoll } from '../components';
import { bytes, percent, when } from '../format';
import type { Item, Migration } from '../types';
import { ReportDownloads, ReportSummary } from './migration-report';
import { isLive } from './migrations';

export function MigrationDetailPage({ id }: { id: string }) {
  const path = `/v1/migrations/${encodeURIComponent(id)}`;
  const m = useLoad(() => api<Migration>('GET', path), [id]);
  const [error, setError] = useState<unknown>();
  usePoll(m.reload, 1000, !!m.data && isLive(m.data.status));

  const control = async (action: 'pause' | 'resume' | 'cancel') => {
    try {
      await api('POST', `${path}/${action}`);
      setError(undefined);
      await m.reload();
    } catch (err) {
      setError(err);
    }
  };
  const mig = m.data;
  const p = mig?.progress;
  return (
    <>
      <PageHeader title={`Migration ${id}`}>
        {mig?.status === 'running' && (
          <button type="button" class="secondary" onClick={() => void control('pause')}>
            Pause
          </button>
        )}
        {mig?.status === 'paused' && (
          <button type="button" onClick={() => void control('resume')}>
            Resume
          </button>
        )}
        {mig && isLive(mig.status) && (
          <button type="button" class="danger-outline" onClick={() => void control('cancel')}>
            Cancel
          </button>
        )}
        <ReportDownloads path={path} id={id} />
      </PageHeader>
      <p>
        <a href="#/migrations">← All migrations</a>
      </p>
      <ErrorNotice error={error ?? m.error} />
      {mig && p && (
        <section class="card" aria-label="Progress">
          <div class="route">
            <span class="mono">
              {mig.source.service}:{mig.source.path}
            </span>{' '}
            →{' '}
            <span class="mono">
              {mig.destination.service}:{mig.destination.path}
            </span>
            <StatusBadge status={mig.status} />
            {mig.options.dry_run && <span class="badge">dry run</span>}
          </div>
          <ProgressBar value={percent(p, mig.status)} label="Migration progress" />
          <dl class="stats">
            <div>
              <dt>Found</dt>
              <dd>
                {p.files_discovered} files · {bytes(p.bytes_discovered)}
                {p.listing_complete ? '' : ' (still listing)'}
              </dd>
            </div>
            <div>
              <dt>Copied</dt>
              <dd>
                {p.files_copied} · {bytes(p.bytes_copied)}
              </dd>
            </div>
            <div>
              <dt>Skipped</dt>
              <dd>{p.files_skipped}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd class={p.files_failed ? 'failed-count' : ''}>{p.files_failed}</dd>
            </div>
            <div>
              <dt>Speed</dt>
              <dd>{bytes(p.throughput_bytes_per_second)}/s</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{p.eta_seconds === null ? '—' : `${p.eta_seconds} s`}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{when(mig.created_at)}</dd>
            </div>
            <div>
              <dt>Finished</dt>
              <dd>{when(mig.finished_at)}</dd>
            </div>
          </dl>
          {mig.error && <p class="error-text">{mig.error}</p>}
        </section>
      )}
      {mig && <ReportSummary path={path} live={isLive(mig.status)} />}
      <Items path={path} live={!!mig && isLive(mig.status)} />
    </>
  );
}

function Items({ path, live }: { path: string; live: boolean }) {
  const [failedOnly, setFailedOnly] = useState(false);
  // Tokens of the pages before this one, so "Previous" can go back.
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens[tokens.length - 1];
  const items = useLoad(
    () =>
      api<{ items: Item[]; next_page_token: string | null }>(
        'GET',
        `${path}/items${q({ status: failedOnly ? 'failed' : undefined, page_size: 50, page_token: token })}`,
      ),
    [path, failedOnly, token],
  );
  usePoll(items.reload, 3000, live && !token);
  return (
    <section aria-labelledby="items-title">
      <div class="section-header">
        <h2 id="items-title">Items</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={failedOnly}
            onChange={(e) => {
              setFailedOnly(e.currentTarget.checked);
              setTokens([]);
            }}
          />{' '}
          Failed only
        </label>
      </div>
      <ErrorNotice error={items.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {items.data?.items.map((i) => (
            <tr key={i.path}>
              <td class="mono small">{i.path}</td>
              <td>
                <StatusBadge status={i.status} />
              </td>
              <td>{bytes(i.size)}</td>
              <td>{i.reason ?? ''}</td>
            </tr>
          ))}
          {items.data && !items.data.items.length && (
            <EmptyRow colSpan={4}>{failedOnly ? 'No failed files.' : 'No items yet.'}</EmptyRow>
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Item pages">
        <button
          type="button"
          class="secondary"
          disabled={!tokens.length}
          onClick={() => setTokens(tokens.slice(0, -1))}
        >
          Previous
        </button>
        <span>Page {tokens.length + 1}</span>
        <button
          type="button"
          class="secondary"
          disabled={!items.data?.next_page_token}
          onClick={() => setTokens([...tokens, items.data!.next_page_token!])}
        >
          Next
        </button>
      </nav>
    </section>
  );
}
