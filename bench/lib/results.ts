// Results: one JSON file (everything) and one markdown table (for people) per benchmark under
// bench/results/, plus summary.md with every benchmark's headline. Scaled-down runs write `*.tmp`
// files instead (git-ignored), so a quick try never overwrites a real measurement.
import fs from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine';

export interface Metric {
  name: string;
  value: number | string | null;
  unit?: string;
}

export interface TargetCheck {
  name: string;
  value: number | null;
  /** e.g. "≤ 2" */
  target: string;
  met: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  parameters: Record<string, unknown>;
  metrics: Metric[];
  targets: TargetCheck[];
  /** Anything else worth keeping: per-run timings, counters, samples. */
  details: Record<string, unknown>;
}

export function resultPaths(resultsDir: string, name: string, scratch: boolean) {
  const suffix = scratch ? '.tmp' : '';
  return {
    json: path.join(resultsDir, `${name}.json${suffix}`),
    markdown: path.join(resultsDir, `${name}.md${suffix}`),
  };
}

export function writeResult(resultsDir: string, result: BenchResult, scratch: boolean): string[] {
  fs.mkdirSync(resultsDir, { recursive: true });
  const paths = resultPaths(resultsDir, result.name, scratch);
  fs.writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(paths.markdown, toMarkdown(result));
  if (!scratch) writeSummary(resultsDir);
  return [paths.json, paths.markdown];
}

const fmt = (v: number | string | null, unit?: string) =>
  v === null ? 'n/a' : `${typeof v === 'number' ? Number(v.toPrecision(6)) : v}${unit ? ` ${unit}` : ''}`;

const machineLine = (m: MachineInfo) =>
  `${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; ` +
  `${m.rclone ?? 'rclone not installed'}; commit ${m.commit ?? '?'}${m.dirty ? ' (with local changes)' : ''}`;

export function toMarkdown(r: BenchResult): string {
  const lines = [
    `# ${r.title}`,
    '',
    `Run ${r.startedAt} – ${r.finishedAt}.`,
    '',
    `Machine: ${machineLine(r.machine)}.`,
    '',
    `Parameters: ${Object.entries(r.parameters)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join(', ')}.`,
    '',
    '| metric | value |',
    '|---|---|',
    ...r.metrics.map((m) => `| ${m.name} | ${fmt(m.value, m.unit)} |`),
    '',
  ];
  if (r.targets.length) {
    lines.push('| target | measured | wanted | met |', '|---|---|---|---|');
    for (const t of r.targets)
      lines.push(`| ${t.name} | ${fmt(t.value)} | ${t.target} | ${t.met ? 'yes' : 'no'} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** bench/results/summary.md: every committed result's targets in one table. */
function writeSummary(resultsDir: string): void {
  const results = fs
    .readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8')) as BenchResult);
  const lines = [
    '# Benchmark results',
    '',
    '| benchmark | target | measured | wanted | met | run |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const t of r.targets) {
      lines.push(
        `| [${r.name}](${r.name}.md) | ${t.name} | ${fmt(t.value)} | ${t.target} | ${t.met ? 'yes' : 'no'} | ${r.startedAt.slice(0, 10)} |`,
      );
    }
  }
  fs.writeFileSync(path.join(resultsDir, 'summary.md'), `${lines.join('\n')}\n`);
}
