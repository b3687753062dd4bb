// Repeats that compare two commands fairly: run in pairs whose order alternates, so that neither always
// follows the other's write-back; reported as min and median.
import { seconds } from './format';

export async function interleavedPairs<A, B>(
  count: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<readonly [A[], B[]]> {
  const as: A[] = [];
  const bs: B[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [as, bs] as const;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** "min / median" in seconds. */
export const spread = (xs: number[]): string => `${seconds(Math.min(...xs))} / ${seconds(median(xs))}`;
