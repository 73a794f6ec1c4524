import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { type AccountConfig, accountSchema } from '../../src/config/schema.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { twitterLength } from '../../src/summaries/length.js';
import { fillTemplate, resolveTemplate, type TemplateValues } from '../../src/summaries/template.js';
import { codePointLength, endsSentence } from '../../src/summaries/text.js';
import { linkWithUtm } from '../../src/summaries/utm.js';

const values: TemplateValues = {
  headline: 'Macron urges talks',
  summary: 'Macron urged Europe to talk to Russia.',
  link: 'https://news.example.com/a',
  hashtags: '',
  site: 'The Daily Test',
};

describe('templates', () => {
  it('resolves a named template, an inline one, else the platform default', () => {
    const templates = { short: '{headline} {link}' };
    expect(resolveTemplate({ template: 'short' }, templates, 'DEFAULT')).toBe('{headline} {link}');
    expect(resolveTemplate({ template: 'New: {summary}' }, templates, 'DEFAULT')).toBe('New: {summary}');
    expect(resolveTemplate({}, templates, 'DEFAULT')).toBe('DEFAULT');
    expect(resolveTemplate({ template: 'missing' }, templates, 'DEFAULT')).toBe('DEFAULT');
  });

  it('fills every placeholder and leaves unknown braces as text', () => {
    expect(fillTemplate('{site}: {headline} {summary} {link} {other}', { ...values, hashtags: '#A' })).toBe(
      'The Daily Test: Macron urges talks Macron urged Europe to talk to Russia. https://news.example.com/a {other}',
    );
  });

  it('collapses unused placeholders, their labels and blank lines cleanly', () => {
    const t = '{headline}\n\n\n{summary} {hashtags}\n\nTags: {hashtags}\n\n\n{link}\n';
    expect(fillTemplate(t, values)).toBe(
      'Macron urges talks\n\nMacron urged Europe to talk to Russia.\n\nhttps://news.example.com/a',
    );
  });

  it('escapes template text and values but not raw ones', () => {
    const out = fillTemplate(
      '({site}) {hashtags}',
      { ...values, hashtags: '#Tag' },
      {
        escape: (s) => s.replace(/[()]/g, (c) => `\\${c}`),
        raw: ['hashtags'],
      },
    );
    expect(out).toBe('\\(The Daily Test\\) #Tag');
  });
});

describe('UTM parameters', () => {
  it('adds source, medium and campaign, keeping other parameters and replacing old utm values', () => {
    expect(
      linkWithUtm('https://n.example.com/a?id=7&utm_source=old#top', {
        source: 'x',
        medium: 'social',
        campaign: 'may',
      }),
    ).toBe('https://n.example.com/a?id=7&utm_source=x&utm_medium=social&utm_campaign=may#top');
    expect(linkWithUtm('https://n.example.com/a', undefined)).toBe('https://n.example.com/a');
    expect(linkWithUtm('not a url', { source: 'x', medium: 'y' })).toBe('not a url');
  });
});

const TEXT = [
  'French President Emmanuel Macron has urged Europe to reopen talks with Russia even as tensions remain raw.',
  'The Kremlin said Macron’s comments were noted and welcomed by Russian officials on Tuesday.',
  'Europe and Russia have spoken in whispers of suspicion for years while sanctions froze diplomacy.',
].join(' ');
const CJK =
  'フランスのマクロン大統領は、欧州がロシアとの対話を再開すべきだと述べた。ロシア大統領府はこの発言を歓迎した。';

function compose(
  fields: Partial<AccountConfig> & Pick<AccountConfig, 'platform'>,
  text = TEXT,
  templates = {},
) {
  const article = makeArticle({
    url: 'https://news.example.com/a',
    title: 'Macron urges talks',
    text,
    source: 't',
  });
  return composePostsOffline(article, [accountSchema.parse({ id: 'acc', ...fields })], {
    site: { name: 'The Daily Test', url: 'https://news.example.com/' },
    templates,
    summaries: { engine: 'offline' },
  })[0]!;
}

describe('per-account rules in composition', () => {
  it('uses the named template of the account', () => {
    const post = compose({ platform: 'facebook', template: 'brief' }, TEXT, {
      brief: '{site} | {headline}\n{summary}',
    });
    expect(post.text.startsWith('The Daily Test | Macron urges talks\n')).toBe(true);
  });

  it('caps the summary at maxSummaryChars code points on every platform, in any script', () => {
    for (const platform of ['twitter', 'facebook', 'linkedin'] as const) {
      for (const text of [TEXT, CJK]) {
        const post = compose({ platform, maxSummaryChars: 110 }, text);
        expect(codePointLength(post.summary)).toBeLessThanOrEqual(110);
        expect(post.summary.length).toBeGreaterThan(0);
        expect(endsSentence(post.summary)).toBe(true);
      }
    }
  });

  it('gives the summary what the template leaves on X', () => {
    const label = 'BREAKING NEWS FROM OUR NEWSROOM, READ THE FULL STORY AT THE LINK BELOW RIGHT NOW: '.repeat(
      2,
    );
    const post = compose({ platform: 'twitter', template: `${label}{summary} {link}` });
    expect(post.text.startsWith(label.trim())).toBe(true);
    expect(twitterLength(post.text)).toBeLessThanOrEqual(280);
    expect(post.summary.length).toBeGreaterThan(0);
  });

  it('appends the link on X when the template has none', () => {
    const post = compose({ platform: 'twitter', template: '{headline}' });
    expect(post.text).toBe('Macron urges talks\n\nhttps://news.example.com/a');
  });
});
