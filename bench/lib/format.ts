// Number formatting for results and progress lines.
export const seconds = (ms: number): number => Math.round(ms) / 1000;
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const round2 = (x: number): number => Math.round(x * 100) / 100;
/** Bytes as megabytes (10^6) with one decimal; null stays null. */
export const mb = (bytes: number | null): number | null =>
  bytes === null ? null : Math.round(bytes / 1e5) / 10;
/** CPU times (ms) as "1.2 s / 0.3 s / …". */
export const cpu = (ms: Record<string, number | null>): string =>
  Object.values(ms)
    .map((v) => (v === null ? 'n/a' : `${seconds(v)} s`))
    .join(' / ');
