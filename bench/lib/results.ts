// Results: one JSON file (everything) and one markdown table (for people) per benchmark under
// bench/results/, plus summary.md with every benchmark's headline. Scaled-down runs write `*.tmp`
// files instead (git-ignored), so a quick try never overwrites a real measurement.
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
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
  /** 1-, 5- and 15-minute load averages when the benchmark started and ended (absent in old results). */
  loadAverage?: { start: number[]; end: number[] };
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

export async function writeResult(
  resultsDir: string,
  result: BenchResult,
  scratch: boolean,
): Promise<string[]> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const paths = resultPaths(resultsDir, result.name, scratch);
  await writeFormatted(paths.json, `${JSON.stringify(result, null, 2)}\n`, 'json');
  await writeFormatted(paths.markdown, toMarkdown(result), 'markdown');
  if (!scratch) await writeSummary(resultsDir);
  return [paths.json, paths.markdown];
}

/** Written as the repository's Prettier settings would format them, so `npm run format:check` stays clean. */
async function writeFormatted(file: string, text: string, parser: 'json' | 'markdown'): Promise<void> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(text, { ...config, parser }));
}

const fmt = (v: number | string | null, unit?: string) =>
  v === null ? 'n/a' : `${typeof v === 'number' ? Number(v.toPrecision(6)) : v}${unit ? ` ${unit}` : ''}`;

const machineLine = (m: MachineInfo) =>
  `${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; ` +
  `${m.rclone ?? 'rclone not installed'}; commit ${m.commit ?? '?'}${m.dirty ? ' (with local changes)' : ''}`;

const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

export function toMarkdown(r: BenchResult): string {
  const lines = [
    `# ${r.title}`,
    '',
    `Run ${r.startedAt} – ${r.finishedAt}.`,
    '',
    `Machine: ${machineLine(r.machine)}.`,
    '',
    ...(r.loadAverage
      ? [
          `Load average (1, 5, 15 min): ${loads(r.loadAverage.start)} at the start, ${loads(r.loadAverage.end)} at the end ` +
            `(${r.machine.cores} cores; other work shared them).`,
          '',
        ]
      : []),
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
async function writeSummary(resultsDir: string): Promise<void> {
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
  await writeFormatted(path.join(resultsDir, 'summary.md'), `${lines.join('\n')}\n`, 'markdown');
}
