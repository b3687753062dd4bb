// Watching a migration: a live bar (cli-progress) when stdout is a terminal, a plain line every few
// seconds on stderr when it is not, nothing with --json (the final JSON is the only output).
import cliProgress from 'cli-progress';
import type { Migration } from '../types';
import type { Context } from './context';
import { formatBytes, formatDuration } from './format';

interface View {
  update(m: Migration): void;
  stop(): void;
}

const BAR_FORMAT =
  '{bar} {percentage}% | {files} files | {bytes} | {rate}/s | ETA {left} | {failed} failed | {status}';

// A cyan bar, as terminals have done for decades; none when NO_COLOR is set (https://no-color.org).
const colourBar = (format: string) =>
  process.env.NO_COLOR ? format : format.replace('{bar}', '\u001b[36m{bar}\u001b[39m');

function figures(m: Migration) {
  const p = m.progress;
  const done = p.bytes_copied + p.bytes_skipped;
  const filesDone = p.files_copied + p.files_skipped + p.files_failed;
  return {
    done,
    total: Math.max(p.bytes_discovered, done, 1),
    payload: {
      files: `${filesDone}/${p.files_discovered}${p.listing_complete ? '' : '+'}`,
      bytes: `${formatBytes(done)}/${formatBytes(p.bytes_discovered)}`,
      rate: formatBytes(p.throughput_bytes_per_second ?? 0),
      left: formatDuration(p.eta_seconds),
      failed: p.files_failed,
      status: m.status,
    },
  };
}

function barView(): View {
  const bar = new cliProgress.SingleBar(
    { format: colourBar(BAR_FORMAT), hideCursor: true, stream: process.stdout, barsize: 30, etaBuffer: 1 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(m) {
      const f = figures(m);
      if (!started) bar.start(f.total, f.done, f.payload);
      else {
        bar.setTotal(f.total);
        bar.update(f.done, f.payload);
      }
      started = true;
    },
    stop: () => bar.stop(),
  };
}

function linesView(everyMs: number): View {
  let last = 0;
  return {
    update(m) {
      if (Date.now() - last < everyMs) return;
      last = Date.now();
      const f = figures(m).payload;
      process.stderr.write(
        `${m.id} ${m.status}: ${f.files} files, ${f.bytes}, ${f.rate}/s, ETA ${f.left}, ${f.failed} failed\n`,
      );
    },
    stop() {},
  };
}

export function progressView(ctx: Context): View {
  if (ctx.json) return { update() {}, stop() {} };
  return process.stdout.isTTY ? barView() : linesView(5000);
}

/** One line on how a migration ended. */
export function summary(m: Migration): string {
  const p = m.progress;
  const took =
    m.started_at && m.finished_at
      ? ` in ${formatDuration((Date.parse(m.finished_at) - Date.parse(m.started_at)) / 1000)}`
      : '';
  const error = m.error ? `\n${m.error}` : '';
  return (
    `${m.id} ${m.status}: ${p.files_copied} copied (${formatBytes(p.bytes_copied)}), ${p.files_skipped} skipped, ` +
    `${p.files_failed} failed${took}${error}`
  );
}
