// Benchmark 4: a synthetic source of 1,000,000 tiny files in 100,000 folders (10 parts of 10,000 folders
// of 10 files), listed in full by a dry run (the listing path only: nothing is written), then copied in
// full. Per phase: files/s, history events per workflow run, the largest payload, the copies each run left
// in flight when it continued as new (carried, not drained), and the worker's and the Temporal server's
// memory over time; after the copy, what the store holds per million items.
// Targets: flat memory and bounded history (every run well under 10,000 events, payloads far below 2 MB).
import path from 'node:path';
import { digestTree } from './lib/data';
import { cpu, mb, seconds } from './lib/format';
import { log } from './lib/log';
import { destinationOf, runPhase, type PhaseResult } from './lib/phase';
import type { Metric, TargetCheck } from './lib/results';
import { countTree, writeTinyTree } from './lib/tiny-tree';
import { sqliteStoreSize } from './lib/store-size';
import { scaled, type Benchmark } from './lib/types';

const MAX_RUN_EVENTS = 10_000;
const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
/** Memory counts as flat when the last quarter's peak is within this factor of the second quarter's. */
const FLAT_GROWTH = 1.2;

export const million: Benchmark = {
  name: 'million-entries',
  title: 'Benchmark 4 — 1,000,000 tiny files: dry-run listing and a full copy at scale',
  async run({ dir, options }) {
    const spec = { parts: 10, foldersPerPart: scaled(10_000, options.scale), filesPerFolder: 10 };
    const dataRoot = path.join(dir, 'data');
    const sourceRoot = path.join(dataRoot, 'src');
    log(`writing ${spec.parts} × ${spec.foldersPerPart} folders × ${spec.filesPerFolder} tiny files…`);
    const tree = writeTinyTree(sourceRoot, spec);
    log(`  ${tree.files} files in ${seconds(tree.writtenMs + tree.copiedMs)} s`);

    log('dry run over the whole source…');
    const dryDst = destinationOf(dataRoot, 'dry-run');
    const dry = await runPhase({
      dir: path.join(dir, 'stack-dry-run'),
      dataRoot,
      sourceRoot,
      sourcePath: '/',
      destinationRoot: dryDst,
      options: { dry_run: true },
    });
    const dryWritten = countTree(dryDst);

    log(`copy of all ${tree.files} files…`);
    const copyDst = destinationOf(dataRoot, 'copy');
    const copyStack = path.join(dir, 'stack-copy');
    const copy = await runPhase({
      dir: copyStack,
      dataRoot,
      sourceRoot,
      sourcePath: '/',
      destinationRoot: copyDst,
    });
    const identical = (await digestTree(sourceRoot)).sha256 === (await digestTree(copyDst)).sha256;
    const store = sqliteStoreSize(path.join(copyStack, 'migrateclouds.db'));
    const itemBytes = Object.entries(store.byObject)
      .filter(([name]) => name.startsWith('migration_items'))
      .reduce((n, [, b]) => n + b, 0);
    const perMillion = (bytes: number) => mb((bytes / Math.max(1, copied)) * 1e6);

    const dryFiles = dry.migration.progress.files_discovered;
    const copied = copy.migration.progress.files_copied;
    const phases = { dry, copy };
    const maxEvents = Math.max(...[dry, copy].flatMap((p) => p.runs.map((r) => r.events)));
    const maxPayload = Math.max(...[dry, copy].flatMap((p) => p.runs.map((r) => r.maxPayloadBytes)));
    const dryOk = dry.migration.status === 'completed' && dryFiles === tree.files && dryWritten.files === 0;
    const copyOk = copy.migration.status === 'completed' && copied === tree.files && identical;
    const flat = (g: number | null) => g !== null && g <= FLAT_GROWTH;
    const targets: TargetCheck[] = [
      {
        name: 'history events, largest run',
        value: maxEvents,
        target: `< ${MAX_RUN_EVENTS}`,
        met: maxEvents < MAX_RUN_EVENTS && dryOk && copyOk,
      },
      {
        name: 'largest payload (KB)',
        value: Math.round(maxPayload / 1024),
        target: '< 2048',
        met: maxPayload < MAX_PAYLOAD_BYTES,
      },
      ...(['worker', 'temporal'] as const).flatMap((who) =>
        Object.entries(phases).map(([name, p]) => ({
          name: `${who === 'worker' ? 'worker' : 'Temporal server'} RSS growth, ${name === 'dry' ? 'dry run' : 'copy'} (last ÷ 2nd quarter)`,
          value: p[who].growth,
          target: `≤ ${FLAT_GROWTH}`,
          met: flat(p[who].growth),
        })),
      ),
    ];
    return {
      parameters: {
        ...spec,
        files: tree.files,
        folders: tree.folders,
        bytes: tree.bytes,
      },
      metrics: [
        {
          name: 'source generation (first part written, others cp -r)',
          value: `${seconds(tree.writtenMs)} s + ${seconds(tree.copiedMs)} s`,
        },
        ...phaseMetrics('dry run', dry, dryFiles, 'discovered'),
        { name: 'dry run: entries written at the destination', value: dryWritten.files + dryWritten.folders },
        ...phaseMetrics('copy', copy, copied, 'copied'),
        { name: 'copy: destination identical to the source', value: String(identical) },
        { name: 'store after the copy: SQLite file', value: mb(store.fileBytes), unit: 'MB' },
        {
          name: 'store: items (table and indexes) per million items',
          value: perMillion(itemBytes),
          unit: 'MB',
        },
        {
          name: 'store: largest tables and indexes (MB)',
          value: Object.entries(store.byObject)
            .slice(0, 5)
            .map(([name, b]) => `${name} ${mb(b)}`)
            .join(', '),
        },
        {
          name: 'store: copy batches left (migration_batches, MB)',
          value: mb(store.byObject.migration_batches ?? 0),
        },
      ],
      targets,
      details: { tree, dryRunWritten: dryWritten, phases, store },
    };
  },
};

function phaseMetrics(name: string, p: PhaseResult, files: number, verb: string): Metric[] {
  const events = p.runs.map((r) => r.events);
  const largest = p.runs.reduce((a, r) => (r.maxPayloadBytes > a.maxPayloadBytes ? r : a), p.runs[0]);
  const carried = Math.max(0, ...p.runs.map((r) => r.carriedBytes ?? 0));
  const quarters = (q: (number | null)[]) => q.map((v) => v ?? 'n/a').join(' / ');
  return [
    { name: `${name}: status`, value: p.migration.status },
    { name: `${name}: files ${verb}`, value: files },
    { name: `${name}: wall time`, value: seconds(p.wallMs), unit: 's' },
    { name: `${name}: files ${verb} per second`, value: Math.round(files / (p.wallMs / 1000)) },
    { name: `${name}: workflow runs`, value: p.runs.length },
    {
      name: `${name}: history events per run (max / mean)`,
      value: `${Math.max(...events)} / ${Math.round(events.reduce((a, b) => a + b, 0) / events.length)}`,
    },
    {
      name: `${name}: largest payload`,
      value: largest ? `${Math.round(largest.maxPayloadBytes / 1024)} KB (${largest.maxPayloadOf})` : null,
    },
    { name: `${name}: largest continue-as-new input`, value: carried, unit: 'bytes' },
    {
      name: `${name}: runs that continued as new with copies in flight (carried, not drained)`,
      value: `${p.runs.filter((r) => r.copiesOpenAtEnd > 0).length} of ${p.runs.length - 1}`,
    },
    { name: `${name}: worker peak RSS`, value: mb(p.worker.peakRss), unit: 'MB' },
    { name: `${name}: worker RSS by quarter (max, MB)`, value: quarters(p.worker.quarterMaxMb) },
    { name: `${name}: Temporal server peak RSS`, value: mb(p.temporal.peakRss), unit: 'MB' },
    { name: `${name}: Temporal server RSS by quarter (max, MB)`, value: quarters(p.temporal.quarterMaxMb) },
    { name: `${name}: CPU worker / Temporal / API`, value: cpu(p.cpuMs) },
  ];
}
