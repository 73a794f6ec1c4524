import { describe, expect, it } from 'vitest';
import { projectSlots } from '../../src/control/slot-times.js';
import { instantFromLocal } from '../../src/http/console/time.js';
import { safeHref } from '../../src/http/console/views/text.js';
import { littleTextFromPlain, unescapeLittleText } from '../../src/platforms/linkedin/little-text.js';
import { linkedinFold } from '../../src/platforms/linkedin/preview.js';
import { xDisplayUrl } from '../../src/platforms/twitter/preview.js';
import { checkPostText } from '../../src/summaries/validate.js';

const LINK = 'https://news.example.org/2026/11/storm-power-links';

describe('post text validator (the rules composed posts follow)', () => {
  it('counts X by twitter-text v3: every link 23, emoji 2', () => {
    const c = checkPostText({ platform: 'twitter', link: LINK }, `Storm 🌊 held.\n\n${LINK}`);
    expect(c).toMatchObject({ ok: true, length: 14 + 2 + 23, max: 280, count: '39/280 weighted characters' });
  });

  it('refuses too long, a missing link, a cut sentence and an empty text, saying why', () => {
    const long = checkPostText({ platform: 'twitter', link: LINK }, `${'a'.repeat(270)}.\n\n${LINK}`);
    expect(long.ok).toBe(false);
    expect(long.problems[0]).toBe(
      'X post is 296/280 weighted characters (every link counts 23): shorten it by 16',
    );
    expect(checkPostText({ platform: 'twitter', link: LINK }, 'Held.').problems).toEqual([
      `the article link must stay in the post: ${LINK}`,
    ]);
    expect(checkPostText({ platform: 'facebook', link: LINK }, 'The grid held and the').problems[0]).toMatch(
      /ends mid-sentence/,
    );
    expect(checkPostText({ platform: 'facebook', link: LINK }, '  ').problems).toEqual(['the post is empty']);
    // Links and hashtags after the last sentence do not count as a cut one; a closing colon is not cut either.
    expect(checkPostText({ platform: 'linkedin', link: LINK }, 'It held.\n\n#Energy #Grid').ok).toBe(true);
    expect(checkPostText({ platform: 'facebook', link: LINK }, 'Read the whole story:').ok).toBe(true);
  });

  it('refuses LinkedIn text with an unescaped reserved character (LinkedIn would cut the post there)', () => {
    expect(
      checkPostText({ platform: 'linkedin', link: LINK }, 'Operators (AFP) said it held.').problems,
    ).toContain('LinkedIn would cut the post at an unescaped reserved character');
    expect(checkPostText({ platform: 'linkedin', link: LINK }, 'Operators \\(AFP\\) said it held.').ok).toBe(
      true,
    );
  });
});

describe('LinkedIn little text from an operator', () => {
  it('escapes every reserved character but keeps the hashtags as hashtags', () => {
    const plain = 'Grid (North Sea) held: 100% *up* — ask @ops_team [via] #Energy #North_Sea';
    const little = littleTextFromPlain(plain);
    expect(little).toBe(
      'Grid \\(North Sea\\) held: 100% \\*up\\* — ask \\@ops\\_team \\[via\\] #Energy #North\\_Sea',
    );
    expect(unescapeLittleText(little)).toBe(plain);
  });
});

describe('previews', () => {
  it('shows a link as X does: no scheme, no www, cut after 25 characters', () => {
    expect(xDisplayUrl('https://www.example.org/a')).toBe('example.org/a');
    expect(xDisplayUrl(LINK)).toBe('news.example.org/2026/11/…');
  });

  it('makes only http(s) links clickable', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>')).toBeUndefined();
    expect(safeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
  });

  it('folds LinkedIn text after three lines or about 210 characters, at a word', () => {
    const short = 'One line.';
    expect(linkedinFold(short)).toEqual({ shown: short, rest: '' });
    const lines = 'a\nb\nc\nd\ne';
    expect(linkedinFold(lines)).toEqual({ shown: 'a\nb\nc', rest: 'd\ne' });
    const long = `${'word '.repeat(60)}end.`;
    const f = linkedinFold(long);
    expect([...f.shown].length).toBeLessThanOrEqual(210);
    expect(f.shown.endsWith('word')).toBe(true);
    expect(`${f.shown} ${f.rest}`).toBe(long);
  });
});

describe('times typed in a zone', () => {
  it('reads a datetime-local value in the zone, across daylight saving', () => {
    expect(instantFromLocal('2026-12-01T08:00', 'Europe/Paris')?.toISOString()).toBe(
      '2026-12-01T07:00:00.000Z',
    );
    expect(instantFromLocal('2026-07-01T08:00', 'Europe/Paris')?.toISOString()).toBe(
      '2026-07-01T06:00:00.000Z',
    );
    // 02:30 does not exist on 29 March in Paris: moved forward by the gap (03:30 summer time).
    expect(instantFromLocal('2026-03-29T02:30', 'Europe/Paris')?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 happens twice on 25 October: the first one.
    expect(instantFromLocal('2026-10-25T02:30', 'Europe/Paris')?.toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(instantFromLocal('tomorrow', 'UTC')).toBeUndefined();
  });
});

describe('posting slots a waiting post will take', () => {
  const slot = (at: string, quiet = false) => ({ at, local: at, quiet });
  const slots = {
    account: 'li',
    platform: 'linkedin' as const,
    timezone: 'UTC',
    waiting: 3,
    minGapMinutes: 90,
    slots: [
      slot('2026-12-01T08:00:00.000Z'),
      slot('2026-12-01T09:00:00.000Z'),
      slot('2026-12-01T10:00:00.000Z'),
      slot('2026-12-01T23:00:00.000Z', true),
      slot('2026-12-02T08:00:00.000Z'),
    ],
  };

  it('skips quiet hours and slots closer than the minimum gap, oldest post first', () => {
    expect(projectSlots(slots, 3, null).map((s) => s?.at)).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
      '2026-12-02T08:00:00.000Z',
    ]);
    // The account's last slot post counts for the gap.
    expect(projectSlots(slots, 1, Date.parse('2026-12-01T07:00:00.000Z'))[0]?.at).toBe(
      '2026-12-01T09:00:00.000Z',
    );
    // More posts than slots listed: the rest have no time yet.
    expect(projectSlots(slots, 5, null)[4]).toBeUndefined();
  });
});
