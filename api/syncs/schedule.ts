// When a sync runs: 5-field cron expressions, intervals ("15m", "1h30m", "1d") and IANA time zones,
// checked here so that a mistake is told precisely, naming its field, before Temporal sees it.

/** [name, lowest, highest, names (index = value)] of the five cron fields. */
const CRON_FIELDS: [string, number, number, string[]?][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12, ['', 'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']],
  // 0 and 7 are both Sunday.
  ['day of week', 0, 7, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']],
];

/** The shorthands Temporal accepts instead of the five fields. */
export const CRON_MACROS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];

/** What is wrong with a cron expression, or undefined when it is a valid 5-field one. */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text.startsWith('@')) {
    if (CRON_MACROS.includes(text.toLowerCase())) return undefined;
    if (/^@every\b/i.test(text)) return 'must not use @every: send {"interval": …} instead';
    return `"${text}" is not one of ${CRON_MACROS.join(', ')}`;
  }
  if (/^(CRON_)?TZ=/i.test(text)) return 'must not name a time zone: send it as "timezone"';
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i]!, CRON_FIELDS[i]!);
    if (problem) return `${CRON_FIELDS[i]![0]} field "${fields[i]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, [, low, high, names]: (typeof CRON_FIELDS)[number]): string | undefined {
  const value = (s: string): number | undefined => {
    if (/^\d{1,2}$/.test(s)) return Number(s);
    const named = names?.indexOf(s.toUpperCase()) ?? -1;
    return named > 0 || (named === 0 && names![0] !== '') ? named : undefined;
  };
  for (const item of field.split(',')) {
    const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(item);
    if (!match) return `"${item}" is not a value, a range or a step`;
    const [, range, step] = match as unknown as [string, string, string | undefined];
    if (step !== undefined && Number(step) < 1) return 'a step must be at least 1';
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a range`;
    const numbers = bounds.map(value);
    for (let i = 0; i < bounds.length; i++) {
      const n = numbers[i];
      if (n === undefined) return `"${bounds[i]}" is not a number${names ? ' or a name' : ''}`;
      if (n < low || n > high) return `${n} is outside ${low}-${high}`;
    }
    if (numbers.length === 2 && numbers[0]! > numbers[1]!) return `the range "${range}" runs backwards`;
  }
  return undefined;
}

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
/** Longest interval accepted: a sync that runs less than once a year is a one-off migration. */
export const MAX_INTERVAL_SECONDS = 366 * 86_400;

/** Seconds of an interval such as "30s", "15m", "1h30m" or "1d"; undefined when it is not one. */
export function intervalSeconds(text: string): number | undefined {
  const match = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, d, h, m, s] = match;
  return (
    Number(d ?? 0) * UNIT_SECONDS.d +
    Number(h ?? 0) * UNIT_SECONDS.h +
    Number(m ?? 0) * UNIT_SECONDS.m +
    Number(s ?? 0) * UNIT_SECONDS.s
  );
}

/** "1h30m" for 5400 seconds: how messages name a limit. */
export function formatInterval(seconds: number): string {
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}

/**
 * An IANA time zone as Temporal should get it, or undefined when the name is unknown. The name stays as
 * given ("Asia/Kolkata", though ICU calls it "Asia/Calcutta"), only its letter case is put right where
 * ICU knows it under that name ("europe/berlin" → "Europe/Berlin"): Temporal loads zones by exact name.
 * Offsets such as "+01:00" are refused.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
