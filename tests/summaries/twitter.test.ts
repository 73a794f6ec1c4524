import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeArticle } from '../../src/articles/article.js';
import { type AccountConfig, accountSchema } from '../../src/config/schema.js';
import { buildThread } from '../../src/platforms/twitter/rules.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import {
  isValidTweet,
  parseTweetText,
  plainTweetText,
  tweetUrls,
  twitterLength,
} from '../../src/summaries/length.js';
import { endsSentence } from '../../src/summaries/text.js';
import { fixture, newsPairs } from '../fixtures/index.js';
import { seededStrings } from '../helpers/strings.js';

interface ConformanceCase {
  description: string;
  text: string;
  expected: Record<string, number | boolean>;
}

const conformance = parse(readFileSync(fixture('twitter-text/weighted-length.yml'), 'utf8')) as {
  tests: Record<string, ConformanceCase[]>;
};

const CONFIG = {
  site: { name: 'The Daily Test', url: 'https://news.example.com/' },
  templates: {},
  summaries: { engine: 'offline' as const },
};
const LINK =
  'https://news.example.com/world/2026/05/a-very-long-story-slug-about-europe-and-russia?id=123456';
const twitter = (fields: Partial<AccountConfig> = {}) =>
  accountSchema.parse({ id: 'x-main', platform: 'twitter', ...fields });
const tweetOf = (text: string, fields: Partial<AccountConfig> = {}, tags: string[] = []) =>
  composePostsOffline(
    makeArticle({
      url: LINK,
      title: 'Macron urges Europe to reopen talks with Russia',
      text,
      source: 't',
      tags,
    }),
    [twitter(fields)],
    CONFIG,
  )[0]!;

const LONG = Array.from(
  { length: 40 },
  (_, i) =>
    `In paragraph ${i + 1}, French President Emmanuel Macron again urged Europe to reopen talks with Russia while the Kremlin welcomed the remarks from Paris.`,
).join('\n\n');
const CJK = Array.from(
  { length: 12 },
  (_, i) =>
    `フランスのマクロン大統領は第${i + 1}回の会合で、欧州がロシアとの対話を再開すべきだと述べた😀🇫🇷。`,
).join('\n');
// A news article (agency copy, CNN/DM's shape), for a thread with something left to say.
const NEWS = newsPairs('agency')[0]!.text;
const EMOJI = Array.from(
  { length: 20 },
  () => 'Fans 👩‍👩‍👧‍👦🇫🇷🎉🎉🎉 cheered Macron and Russia 😀😀😀😀😀😀 at the summit in Paris today.',
).join(' ');

describe('twitter-text conformance (the length function Crier uses)', () => {
  const sections: Array<[string, 2 | 3]> = [
    ['WeightedTweetsCounterTest', 2],
    ['WeightedTweetsWithDiscountedEmojiCounterTest', 3],
    ['UnicodeDirectionalMarkerCounterTest', 3],
  ];
  for (const [section, version] of sections) {
    const cases = conformance.tests[section] ?? [];
    it(`${section} (config v${version}, ${cases.length} cases)`, () => {
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(parseTweetText(c.text, version), c.description).toEqual(c.expected);
    });
  }
});

describe('the length without parsing (plainTweetText)', () => {
  const pieces = [
    'a',
    'Z',
    '7',
    ' ',
    '.',
    ':',
    '/',
    '©',
    '®',
    'é',
    'ÿ',
    '\u02ff',
    '\u0300',
    'x.com',
    'U.S.',
    'e.g.',
    '3.5',
    'http://t.co',
    'www',
    'EXAMPLE.COM',
    'Go.Org',
    'http://localhost:3000/',
    '\n',
    '"',
    '…',
    '😀',
    '\ufeff',
    'ß',
    '#tag',
    '@who',
  ];
  const sentences = [...newsPairs('agency'), ...newsPairs('bbc')].flatMap((p) =>
    p.text.split(/(?<=[.!?])\s+/),
  );
  const texts = [
    ...Object.values(conformance.tests).flatMap((cases) => cases.map((c) => c.text)),
    ...sentences,
    ...seededStrings(20261130, 5000, pieces, 40),
  ];

  it("gives twitter-text's weighted length and validity, for every text it answers without parsing", () => {
    for (const text of texts) {
      const parsed = parseTweetText(text);
      expect(twitterLength(text), JSON.stringify(text)).toBe(parsed.weightedLength);
      expect(isValidTweet(text), JSON.stringify(text)).toBe(parsed.valid);
    }
    // Most news sentences take the short way; a test where none did would prove nothing.
    expect(sentences.filter(plainTweetText).length).toBeGreaterThan(sentences.length / 2);
  });

  it('parses text with a link, a bare domain, © or ®, or anything from U+0300 on', () => {
    for (const text of [
      'Read https://t.co/x',
      'see example.com now',
      'at GOV.UK',
      '© 2026',
      'Reg®',
      'café\u0301',
      'T.V. 3.5',
    ])
      expect(plainTweetText(text), text).toBe(false);
    expect(plainTweetText('The minister resigned on Monday. "It was time," she said.')).toBe(true);
  });
});

describe('X composer', () => {
  it('fits 280 weighted characters with the link present on long, CJK and emoji-heavy articles', () => {
    for (const text of [LONG, CJK, EMOJI]) {
      const post = tweetOf(text);
      expect(twitterLength(post.text)).toBeLessThanOrEqual(280);
      expect(parseTweetText(post.text).valid).toBe(true);
      expect(tweetUrls(post.text)).toContain(LINK);
      expect(post.summary.length).toBeGreaterThan(0);
      expect(post.text).toContain(post.summary);
      expect(endsSentence(post.summary)).toBe(true);
    }
  });

  it('adds hashtags from the article tags only where they fit, up to the account max', () => {
    const short = 'Macron urged Europe to reopen talks with Russia on Tuesday in Paris.';
    const post = tweetOf(short, { hashtags: { max: 2 } }, ['Diplomacy', 'European Union', 'Russia']);
    expect(post.hashtags).toEqual(['#Diplomacy', '#EuropeanUnion']);
    expect(post.text).toContain('#Diplomacy #EuropeanUnion');
    expect(tweetOf(short, { hashtags: { max: 0 } }, ['Diplomacy']).hashtags).toEqual([]);

    // A summary that leaves little room: the long tag is dropped, a short one still fits; never the link
    // or the sentence.
    const sentence = `Macron urged Europe to reopen talks with Russia ${'and said so again '.repeat(10)}on Tuesday.`;
    const full = tweetOf(sentence, { hashtags: { max: 1 } }, ['EuropeanDiplomacy', 'Macron']);
    expect(full.summary).toBe(sentence);
    expect(full.hashtags).toEqual(['#Macron']);
    expect(twitterLength(full.text)).toBeLessThanOrEqual(280);
    expect(twitterLength(`${full.text} #EuropeanDiplomacy`)).toBeGreaterThan(280);
    expect(tweetUrls(full.text)).toContain(LINK);
  });

  it('falls back to named entities for hashtags when the article has no tags', () => {
    const text = [
      'French President Emmanuel Macron urged Europe to reopen talks with Russia.',
      'The Kremlin in Moscow said it noted the remarks by Macron about Russia.',
      'Germany and Russia have not spoken since the sanctions began.',
    ].join(' ');
    const post = tweetOf(text, { hashtags: { max: 2 } });
    expect(post.hashtags).toEqual(['#Russia', '#Macron']);
  });

  it('writes a thread of valid replies continuing the summary for accounts that want one', () => {
    const post = tweetOf(NEWS, { thread: { maxReplies: 3 } });
    expect(post.thread?.length).toBeGreaterThan(0);
    expect(post.thread!.length).toBeLessThanOrEqual(3);
    for (const reply of post.thread!) {
      expect(parseTweetText(reply).valid).toBe(true);
      expect(endsSentence(reply)).toBe(true);
      expect(post.summary.includes(reply)).toBe(false);
    }
    expect(tweetOf(LONG).thread).toBeUndefined();
  });

  it('packs thread replies from whole sentences, skipping what the tweet already says', () => {
    const s = (n: number) => `Sentence number ${n} says something about Europe and Russia at length.`;
    const replies = buildThread(s(1), [1, 2, 3, 4, 5, 6, 7, 8].map(s).join(' '), 2);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.startsWith(s(2))).toBe(true);
    for (const r of replies) expect(twitterLength(r)).toBeLessThanOrEqual(280);
    expect(replies.join(' ')).not.toContain(s(1));
  });
});
