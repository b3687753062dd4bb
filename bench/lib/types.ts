// What a benchmark is to the runner (bench/run.ts): a name, a title and a function that measures.
import type { BenchResult } from './results';

export interface BenchOptions {
  /** Requests per second each emulator allows (benchmark 3). */
  rate: number;
  /** Multiplies file counts and sizes; below 1 the results are written as git-ignored `*.tmp`. */
  scale: number;
  /** Keep the temp dir (data, databases, process logs) for inspection. */
  keep: boolean;
}

export interface BenchContext {
  options: BenchOptions;
  /** A fresh temp dir under os.tmpdir() for this benchmark, removed afterwards unless --keep. */
  dir: string;
}

export type Measured = Pick<BenchResult, 'parameters' | 'metrics' | 'targets' | 'details'>;

export interface Benchmark {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Measured>;
}

/** A count scaled by --scale, never below 1. */
export const scaled = (n: number, scale: number): number => Math.max(1, Math.round(n * scale));
