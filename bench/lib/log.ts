// Progress lines on stderr (stdout stays free), each with the seconds since the run began: benchmarks
// run for minutes and the operator should see where they are.
const t0 = Date.now();

export function log(line: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[bench ${s}s] ${line}\n`);
}
