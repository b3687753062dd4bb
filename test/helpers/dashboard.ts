// The Grafana dashboard in deploy/grafana/: its PromQL expressions and the metric names they read.
import fs from 'node:fs';
import path from 'node:path';

export const DASHBOARD_PATH = path.resolve(__dirname, '../../deploy/grafana/migrateclouds-dashboard.json');

interface Panel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

export const readDashboard = (): { title: string; panels: Panel[]; templating?: unknown } =>
  JSON.parse(fs.readFileSync(DASHBOARD_PATH, 'utf8')) as { title: string; panels: Panel[] };

/** Every panel, rows' nested ones included. */
export const dashboardPanels = (): Panel[] => readDashboard().panels.flatMap((p) => [p, ...(p.panels ?? [])]);

export const dashboardExpressions = (): { panel: string; expr: string }[] =>
  dashboardPanels().flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title ?? '', expr: t.expr ?? '' })),
  );

/** Metric names: identifiers of the families the product, Node.js and the SDK expose (labels never match). */
export const metricNamesIn = (expr: string): string[] =>
  [...expr.matchAll(/\b((?:migrateclouds|temporal|process|nodejs)_[a-zA-Z0-9_]+)\b/g)].map((m) => m[1]!);

export const dashboardMetricNames = (): string[] => [
  ...new Set(dashboardExpressions().flatMap((e) => metricNamesIn(e.expr))),
];
