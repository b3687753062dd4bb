// The Grafana dashboard (deploy/grafana/migrateclouds-dashboard.json) parses, every panel queries
// something, and every product or process metric it reads is one the registry declares, with the labels
// it groups by. The SDK's temporal_* names are checked against a real worker's scrape in
// worker-metrics.test.ts.
import { collectProcessMetrics, metricsRegistry } from '../../common/metrics';
import { migrationsGauge } from '../../api/metrics/migrations-gauge';
import { createLogger } from '../../common/logger';
import { dashboardExpressions, dashboardPanels, metricNamesIn, readDashboard } from '../helpers/dashboard';

collectProcessMetrics();
const apiOnly = migrationsGauge(async () => ({}) as never, createLogger('silent'));
const families = [metricsRegistry, apiOnly].flatMap((r) => r.getMetricsAsArray());

/** The sample names a family exposes (a histogram's _bucket, _sum and _count). */
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};
const exposed = new Map<string, string[]>();
for (const f of families) {
  const { name, labelNames } = f as unknown as { name: string; labelNames: string[] };
  const type = (f as unknown as { type: string }).type;
  for (const suffix of SUFFIXES[type] ?? ['']) exposed.set(name + suffix, labelNames);
}

it('parses, and every panel but the rows has queries', () => {
  const dashboard = readDashboard();
  expect(dashboard.title).toBe('MigrateClouds');
  const panels = dashboardPanels().filter((p) => p.type !== 'row');
  expect(panels.length).toBeGreaterThanOrEqual(15);
  for (const p of panels) expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
});

it('reads only metrics the product and the process expose, grouped by labels they have', () => {
  const expressions = dashboardExpressions();
  const ours = new Set<string>();
  for (const { panel, expr } of expressions) {
    const names = metricNamesIn(expr);
    expect([panel, expr, names.length]).not.toEqual([panel, expr, 0]);
    for (const name of names.filter((n) => !n.startsWith('temporal_'))) {
      expect([panel, name, exposed.has(name)]).toEqual([panel, name, true]);
      ours.add(name.replace(/_(bucket|sum|count)$/, ''));
      const labels = new Set([...(exposed.get(name) ?? []), 'le', 'instance', 'job']);
      const used = [...expr.matchAll(/by \(([^)]*)\)|(\w+)=~?"/g)].flatMap((m) =>
        m[1] ? m[1].split(',').map((l) => l.trim()) : [m[2]!],
      );
      for (const label of used) expect([panel, label, labels.has(label)]).toEqual([panel, label, true]);
    }
  }
  // Every product metric has a panel.
  const product = families
    .map((f) => (f as unknown as { name: string }).name)
    .filter((n) => n.startsWith('migrateclouds_'));
  expect(product.filter((n) => !ours.has(n))).toEqual([]);
});
