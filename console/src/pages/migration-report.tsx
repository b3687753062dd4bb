// A migration's summary report (GET /v1/migrations/{id}/report): counts by status, the most frequent
// reasons files were failed or skipped, the largest failures; and every item as CSV or NDJSON.
import { api } from '../api';
import { ErrorNotice, StatusBadge, useLoad, usePoll } from '../components';
import { bytes } from '../format';
import type { MigrationReport } from '../types';

/** How many reason groups and failures the page shows (the API answers up to 100 and 20). */
const SHOWN = 10;

export function ReportDownloads({ path, id }: { path: string; id: string }) {
  return (
    <>
      <a class="button secondary" href={`${path}/items?format=csv`} download={`${id}-items.csv`}>
        Download report (CSV)
      </a>
      <a class="button secondary" href={`${path}/items?format=ndjson`} download={`${id}-items.ndjson`}>
        Download NDJSON
      </a>
    </>
  );
}

export function ReportSummary({ path, live }: { path: string; live: boolean }) {
  const report = useLoad(() => api<MigrationReport>('GET', `${path}/report`), [path, live]);
  usePoll(report.reload, 3000, live);
  const r = report.data;
  return (
    <section class="card" aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      <ErrorNotice error={report.error} />
      {r && (
        <>
          <table aria-label="Items by status">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Files</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {r.by_status.map((s) => (
                <tr key={s.status}>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.count}</td>
                  <td>{bytes(s.bytes)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">All</th>
                <td>{r.totals.files}</td>
                <td>{bytes(r.totals.bytes)}</td>
              </tr>
            </tbody>
          </table>
          <h3>Top reasons</h3>
          {r.by_reason.length ? (
            <table aria-label="Top reasons">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Status</th>
                  <th scope="col">Files</th>
                  <th scope="col">Example</th>
                </tr>
              </thead>
              <tbody>
                {r.by_reason.slice(0, SHOWN).map((g, i) => (
                  <tr key={i}>
                    <td>{g.reason ?? '—'}</td>
                    <td>
                      <StatusBadge status={g.status} />
                    </td>
                    <td>{g.count}</td>
                    <td class="small">{g.example ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="empty">No file was failed or skipped.</p>
          )}
          <h3>Largest failures</h3>
          {r.largest_failures.length ? (
            <table aria-label="Largest failures">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Size</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {r.largest_failures.slice(0, SHOWN).map((f) => (
                  <tr key={f.path}>
                    <td class="mono small">{f.path}</td>
                    <td>{bytes(f.size)}</td>
                    <td>{f.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="empty">No failures.</p>
          )}
        </>
      )}
    </section>
  );
}
