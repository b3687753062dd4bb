// Migrations: every migration with a live progress bar (polled while any runs), filtered by status.
import { useState } from 'preact/hooks';
import { api, q } from '../api';
import { EmptyRow, ErrorNotice, PageHeader, ProgressBar, StatusBadge, useLoad, usePoll } from '../components';
import { bytes, percent, when } from '../format';
import type { Migration } from '../types';

export const STATUSES = [
  'pending',
  'queued',
  'running',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
];
export const isLive = (status: string) => ['pending', 'queued', 'running', 'paused'].includes(status);

export function MigrationsPage() {
  const [status, setStatus] = useState('');
  const list = useLoad(
    () => api<{ migrations: Migration[] }>('GET', `/v1/migrations${q({ status, page_size: 100 })}`),
    [status],
  );
  const running = list.data?.migrations.some((m) => isLive(m.status)) ?? false;
  usePoll(list.reload, 1500, running);

  return (
    <>
      <PageHeader title="Migrations">
        <a class="button" href="#/migrations/new">
          New migration
        </a>
      </PageHeader>
      <div class="filters">
        <label for="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={list.error} />
      <table>
        <caption class="sr-only">Migrations</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col" class="wide">
              Progress
            </th>
            <th scope="col">Files</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.migrations.map((m) => {
            const p = percent(m.progress, m.status);
            return (
              <tr key={m.id} data-migration-id={m.id}>
                <td>
                  <a href={`#/migrations/${m.id}`}>
                    {m.source.service}:{m.source.path}
                  </a>
                </td>
                <td>
                  {m.destination.service}:{m.destination.path}
                </td>
                <td>
                  <StatusBadge status={m.status} />
                </td>
                <td>
                  <ProgressBar value={p} label={`Migration ${m.id} progress`} />
                </td>
                <td>
                  {m.progress.files_copied + m.progress.files_skipped}/{m.progress.files_discovered}
                  {m.progress.files_failed > 0 && (
                    <span class="failed-count"> · {m.progress.files_failed} failed</span>
                  )}
                  <small class="muted"> {bytes(m.progress.bytes_copied)}</small>
                </td>
                <td>{when(m.created_at)}</td>
              </tr>
            );
          })}
          {list.data && !list.data.migrations.length && (
            <EmptyRow colSpan={6}>
              No migrations{status ? ` with status ${status}` : ''} yet.{' '}
              <a href="#/migrations/new">Start one</a>.
            </EmptyRow>
          )}
        </tbody>
      </table>
    </>
  );
}
