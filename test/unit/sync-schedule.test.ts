// The schedule checks of /v1/syncs: what a 5-field cron, an interval and a time zone may be.
import { canonicalTimeZone, cronProblem, formatInterval, intervalSeconds } from '../../api/syncs/schedule';

describe('cronProblem', () => {
  it.each([
    '0 * * * *',
    '*/15 9-17 * * MON-FRI',
    '0 0 1 jan,Jul *',
    '5/15 * * * *',
    '0 0 * * 7',
    '0  2   * * *',
    '59 23 31 12 6',
    '@daily',
    '@Hourly',
  ])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['* * * * * *', /must have 5 fields .*not 6/],
    ['', /must have 5 fields/],
    ['60 * * * *', /minute field "60": 60 is outside 0-59/],
    ['0 24 * * *', /hour field "24": 24 is outside 0-23/],
    ['0 0 0 * *', /day of month field "0": 0 is outside 1-31/],
    ['0 0 * 13 *', /month field "13"/],
    ['0 0 * * 8', /day of week field "8": 8 is outside 0-7/],
    ['0 0 * * MON-SUN', /runs backwards/],
    ['*/0 * * * *', /a step must be at least 1/],
    ['0 0 * * FOO', /"FOO" is not a number or a name/],
    ['0 0 ? * *', /"\?" is not a number/],
    ['1-2-3 * * * *', /is not a range/],
    ['@every 1h', /@every/],
    ['@reboot', /is not one of/],
    ['TZ=Europe/Paris 0 * * * *', /timezone/],
  ])('refuses %j', (cron, problem) => {
    expect(cronProblem(cron)).toMatch(problem);
  });
});

describe('intervals', () => {
  it('reads units largest first', () => {
    expect(intervalSeconds('30s')).toBe(30);
    expect(intervalSeconds('15m')).toBe(900);
    expect(intervalSeconds('1h30m')).toBe(5400);
    expect(intervalSeconds('1d')).toBe(86_400);
    expect(intervalSeconds('1d2h3m4s')).toBe(93_784);
    for (const bad of ['', '15', 'm', '1m1h', '1.5h', '-1m', '1 h', '1w'])
      expect(intervalSeconds(bad)).toBeUndefined();
  });

  it('names a length the way it is written', () => {
    expect(formatInterval(60)).toBe('1m');
    expect(formatInterval(5400)).toBe('1h30m');
    expect(formatInterval(366 * 86_400)).toBe('366d');
  });
});

describe('canonicalTimeZone', () => {
  it('gives IANA names their exact spelling and refuses the rest', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    // ICU's own names for these are older links: the given name is kept.
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Etc/UTC')).toBe('Etc/UTC');
    for (const bad of ['Mars/Olympus', '+01:00', 'UTC+1', '', '../etc/passwd']) {
      expect(canonicalTimeZone(bad)).toBeUndefined();
    }
  });
});
