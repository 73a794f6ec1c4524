import { describe, expect, it } from 'vitest';
import { badArgument, checkUrl, parseAt, parsePostId, wholeNumber } from '../../src/cli/args.js';
import { futureAt, showTime, zoneFor } from '../../src/cli/times.js';
import { checkWallTime, resolveWallTime, type WallTime } from '../../src/cli/wall-time.js';
import { isCrierError } from '../../src/core/errors.js';

const wall = (text: string) => checkWallTime(text) as WallTime;

describe('times typed on the command line', () => {
  it('takes ISO-8601 with an offset, Z, or none; seconds and fractions optional; T or a space', () => {
    expect(resolveWallTime(wall('2026-12-01T08:00:00+01:00'), undefined).toISOString()).toBe(
      '2026-12-01T07:00:00.000Z',
    );
    expect(resolveWallTime(wall('2026-12-01 08:00Z'), undefined).toISOString()).toBe(
      '2026-12-01T08:00:00.000Z',
    );
    expect(resolveWallTime(wall('2026-12-01T08:00:30.5-0330'), undefined).toISOString()).toBe(
      '2026-12-01T11:30:30.500Z',
    );
  });

  it('refuses dates and times that do not exist, saying why', () => {
    expect(checkWallTime('2027-02-29T08:00Z')).toMatch(/2027-02 has no day 29 \(it has 28 days\)/);
    expect(typeof checkWallTime('2028-02-29T08:00Z')).toBe('object'); // a leap year
    expect(checkWallTime('2026-04-31T08:00Z')).toMatch(/has no day 31/);
    expect(checkWallTime('2026-00-10T08:00Z')).toMatch(/there is no month 0/);
    expect(checkWallTime('2026-01-10T24:00Z')).toMatch(/24:00 is not a time of day/);
    expect(checkWallTime('2026-01-10T08:60Z')).toMatch(/08:60 is not a time of day/);
    expect(checkWallTime('2026-01-10T08:00+15:00')).toMatch(/\+15:00 is not a UTC offset/);
    expect(checkWallTime('next tuesday')).toMatch(/expected an ISO-8601 date and time/);
    expect(checkWallTime('2026-01-10')).toMatch(/expected an ISO-8601 date and time/);
  });

  it('reads a time without an offset in the zone, and refuses one the clocks skip or pass twice', () => {
    expect(resolveWallTime(wall('2026-07-01T08:00'), 'Europe/Paris').toISOString()).toBe(
      '2026-07-01T06:00:00.000Z',
    );
    expect(resolveWallTime(wall('2026-12-01T08:00'), 'America/New_York').toISOString()).toBe(
      '2026-12-01T13:00:00.000Z',
    );
    expect(() => resolveWallTime(wall('2026-03-29T02:30'), 'Europe/Paris')).toThrow(
      /"2026-03-29T02:30" does not exist in Europe\/Paris \(the clocks skip it\)/,
    );
    expect(() => resolveWallTime(wall('2026-10-25T02:30'), 'Europe/Paris')).toThrow(
      /"2026-10-25T02:30" happens twice in Europe\/Paris \(the clocks go back\): add the offset \(\+02:00 or \+01:00\)/,
    );
    expect(() => resolveWallTime(wall('2026-10-25T02:30'), undefined)).toThrow(
      /no site.timezone is configured/,
    );
  });

  it('takes only times still to come, within a year', () => {
    const site = { site: { name: 'T', url: 'https://e.org', timezone: 'UTC' } };
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(futureAt(wall('2026-06-02T00:00'), site, now).toISOString()).toBe('2026-06-02T00:00:00.000Z');
    expect(() => futureAt(wall('2026-05-01T00:00'), site, now)).toThrow(/is in the past/);
    expect(() => futureAt(wall('2027-06-03T00:00'), site, now)).toThrow(/more than a year ahead/);
  });

  it('shows times in the schedule’s zone with the offset, as --at takes them', () => {
    const config = {
      site: { name: 'T', url: 'https://e.org', timezone: 'America/New_York' },
      accounts: [
        { id: 'slots', schedule: { mode: 'slots', timezone: 'Europe/Paris' } },
        { id: 'now', schedule: { mode: 'immediate' } },
      ],
    } as unknown as Parameters<typeof zoneFor>[0];
    expect(showTime('2026-07-01T06:00:00.000Z', zoneFor(config, 'slots'))).toBe('2026-07-01T08:00:00+02:00');
    expect(showTime('2026-07-01T06:00:00.000Z', zoneFor(config, 'now'))).toBe('2026-07-01T02:00:00-04:00');
    expect(showTime('2026-07-01T06:00:00.000Z', zoneFor(config))).toBe('2026-07-01T02:00:00-04:00');
    const shown = showTime('2026-07-01T06:00:00.000Z', zoneFor(config, 'slots'));
    expect(resolveWallTime(wall(shown), undefined).toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });
});

describe('argument checks', () => {
  it('are CrierErrors with exit code 2 that name the option and the value', () => {
    try {
      parseAt('2027-02-30T08:00Z');
      expect.unreachable();
    } catch (e) {
      expect(isCrierError(e)).toBe(true);
      expect((e as { exitCode: number }).exitCode).toBe(2);
      expect((e as Error).message).toBe(
        '--at "2027-02-30T08:00Z": 2027-02 has no day 30 (it has 28 days): expected a date that exists',
      );
    }
    expect(badArgument('--x', 'y'.repeat(100), 'no').message).toBe(`--x "${'y'.repeat(57)}...": no`);
  });

  it('take whole numbers in bounds only', () => {
    const n = wholeNumber('--n', 'things', 1, 10);
    expect(n(' 7 ')).toBe(7);
    for (const bad of ['abc', '4.0', '1e1', '-1', '0', '11', '', '0x5', '99999999999999999999'])
      expect(() => n(bad), bad).toThrow(/--n ".*": expected things, a whole number from 1 to 10/);
  });

  it('take an article link only when it is an absolute public http(s) URL of sane length', () => {
    expect(checkUrl('--url', 'https://example.org/a?b=c#d')).toBe('https://example.org/a?b=c#d');
    expect(checkUrl('--url', 'http://127.0.0.1:8080/a')).toBe('http://127.0.0.1:8080/a');
    for (const [bad, why] of [
      ['https://exa mple.org/x', /holds " "/],
      ['https://example.org/<b>', /holds "<"/],
      ['https://example.org/\u0000', /holds "\\u0000"/],
      ['example.org/a', /expected an absolute http\(s\) URL/],
      ['mailto:a@example.org', /a mailto URL/],
      ['https://intranet/a', /"intranet" is not a full host name/],
      ['https://user:pw@example.org/a', /carries a user name or password/],
      [`https://example.org/${'x'.repeat(2100)}`, /a URL of 2120 characters: expected .* at most 2048/],
    ] as const)
      expect(() => checkUrl('--url', bad), bad).toThrow(why);
  });

  it('take post ids in the form schedule list prints', () => {
    expect(parsePostId('post-a0123456789abcdef-x-main')).toBe('post-a0123456789abcdef-x-main');
    for (const bad of [
      'post-nonsense',
      'a0123456789abcdef',
      'post-a0123456789abcdef-',
      'post-a0123456789abcdef-../x',
    ])
      expect(() => parsePostId(bad), bad).toThrow(/post id ".*": expected post-<articleId>-<account>/);
  });
});
