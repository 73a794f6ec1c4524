import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { type AccountConfig, accountSchema } from '../../src/config/schema.js';
import type { Post } from '../../src/core/post.js';
import { escapeLittleText, LITTLE_TEXT_RESERVED } from '../../src/platforms/linkedin/little-text.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { codePointLength } from '../../src/summaries/text.js';
import { checkPosts as checkArticle } from '../helpers/check-posts.js';

const LINK = 'https://news.example.com/markets/acme_results?id=7';
const RESERVED_SENTENCE =
  'Shares of Acme (ACME) rose 5% <today> after [analysts] at A|B called it {huge} @CEO #1 C:\\path *bold* _under_ ~tilde~ news.';
const TEXT = [
  RESERVED_SENTENCE,
  'Acme said its results beat forecasts for the third quarter in a row.',
  'Analysts at A|B expect Acme shares to keep rising through the year.',
].join('\n\n');

const article = makeArticle({
  url: LINK,
  title: 'Acme (ACME) shares jump',
  text: TEXT,
  source: 't',
  tags: ['Acme', 'Markets'],
});
const linkedin = (fields: Partial<AccountConfig> = {}, templates: Record<string, string> = {}): Post =>
  composePostsOffline(article, [accountSchema.parse({ id: 'li', platform: 'linkedin', ...fields })], {
    site: { name: 'Markets (Daily)', url: 'https://news.example.com/' },
    templates,
    summaries: { engine: 'offline' },
  })[0]!;

/** Only this post's problems, as validate-posts.mjs reports them. */
const linkedinErrors = (post: Post) =>
  checkArticle({
    article: { title: article.title, url: article.url, text: article.text },
    posts: [post],
  }).filter((e) => e.startsWith('linkedin:'));

describe('LinkedIn little text', () => {
  it('escapes every reserved character with a backslash', () => {
    expect(escapeLittleText(LITTLE_TEXT_RESERVED)).toBe(
      [...LITTLE_TEXT_RESERVED].map((c) => `\\${c}`).join(''),
    );
    expect(escapeLittleText('plain text, 100% fine.')).toBe('plain text, 100% fine.');
  });

  it('escapes the summary, leaves the hashtags Crier inserts unescaped, and passes the checker', () => {
    const post = linkedin();
    expect(post.summary).toContain(RESERVED_SENTENCE);
    expect(post.text).toContain(escapeLittleText(RESERVED_SENTENCE));
    expect(post.text).toContain('\\#1');
    expect(post.hashtags).toEqual(['#Acme', '#Markets']);
    expect(post.text.endsWith('#Acme #Markets')).toBe(true);
    expect(linkedinErrors(post)).toEqual([]);
  });

  it('escapes template text, headline, site and link too', () => {
    const post = linkedin(
      { template: 'news' },
      { news: '{headline} (via {site})\n{summary}\n{link} {hashtags}' },
    );
    expect(post.text.split('\n')[0]).toBe('Acme \\(ACME\\) shares jump \\(via Markets \\(Daily\\)\\)');
    expect(post.text).toContain('https://news.example.com/markets/acme\\_results?id=7');
    expect(linkedinErrors(post)).toEqual([]);
  });

  it('keeps the commentary within 3000 characters, shortening the summary to fit the template', () => {
    const filler = 'Filler text. '.repeat(225); // ~2925 characters of template
    const post = linkedin({ template: `${filler}\n{summary}` });
    expect(codePointLength(post.text)).toBeLessThanOrEqual(3000);
    expect(post.summary.length).toBeGreaterThan(0);
    expect(linkedinErrors(post)).toEqual([]);
  });

  it('carries the article card from the post: title, description and the link as sent', () => {
    const post = linkedin({ utm: { source: 'linkedin', medium: 'social' } });
    expect(post.article).toEqual({
      url: `${LINK}&utm_source=linkedin&utm_medium=social`,
      title: 'Acme (ACME) shares jump',
      description: post.summary,
    });
    expect(post.link).toBe(post.article.url);
    expect(post.text).not.toContain('http');
  });
});
