import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { articleFromText } from '../../src/articles/read.js';
import { accountSchema } from '../../src/config/schema.js';
import { composePosts, composePostsOffline } from '../../src/summaries/compose.js';
import { previewRecord } from '../../src/summaries/preview.js';
import { checkPostText } from '../../src/summaries/validate.js';
import { checkPosts as checkArticle } from '../helpers/check-posts.js';

const SEED = readFileSync(resolve(process.cwd(), 'tests/fixtures/articles/furnished.txt'), 'utf8');
const URL_ = 'https://news.example.com/world/macron-putin-europe';
const accounts = [
  accountSchema.parse({ id: 'x-main', platform: 'twitter', thread: { maxReplies: 2 } }),
  accountSchema.parse({ id: 'fb-page', platform: 'facebook' }),
  accountSchema.parse({ id: 'li-org', platform: 'linkedin' }),
  accountSchema.parse({ id: 'x-off', platform: 'twitter', enabled: false }),
];
const config = {
  site: { name: 'Boundless Ocean of Politics', url: 'https://news.example.com/' },
  templates: {},
  summaries: { engine: 'offline' as const },
};
const preview = previewRecord;

describe('composePosts on the seed article', () => {
  it('makes one valid post per enabled account through the intake reader', async () => {
    const article = articleFromText(SEED, { url: URL_, source: 'seed/article.txt' });
    const posts = await composePosts(article, accounts, config);
    expect(posts.map((p) => [p.platform, p.account])).toEqual([
      ['twitter', 'x-main'],
      ['facebook', 'fb-page'],
      ['linkedin', 'li-org'],
    ]);
    expect(checkArticle(preview(article, posts))).toEqual([]);
    for (const p of posts) {
      expect(p.articleId).toBe(article.id);
      expect(p.articleKey).toBe(article.key);
      expect(p.summary).toMatch(/Okafor/);
    }
  });

  it('stays valid on the raw seed text, furniture and e-mail address included', () => {
    const lines = SEED.split('\n');
    const article = makeArticle({
      url: URL_,
      title: 'Mayor Okafor Asks Rail Unions Back To Talks, Commuters Brace For Strike',
      text: lines.filter((l) => !l.startsWith('Mayor Okafor Asks')).join('\n'),
      source: 'seed',
    });
    const posts = composePostsOffline(article, accounts, config);
    expect(checkArticle(preview(article, posts))).toEqual([]);
    for (const p of posts) {
      expect(`${p.text} ${p.thread?.join(' ') ?? ''}`).not.toMatch(
        /@|Skip to content|Contact us|Leave a comment/i,
      );
    }
  });

  it('composes the same posts synchronously and asynchronously', async () => {
    const article = articleFromText(SEED, { url: URL_, source: 'seed/article.txt' });
    expect(composePostsOffline(article, accounts, config)).toEqual(
      await composePosts(article, accounts, config),
    );
  });

  it('uses the summarizer it is given', async () => {
    const article = articleFromText(SEED, { url: URL_, source: 'seed/article.txt' });
    const fixed = { summarize: async () => 'Macron wants Europe to talk to Russia again.' };
    const posts = await composePosts(article, accounts.slice(1, 3), config, { summarizer: fixed });
    expect(posts.map((p) => p.summary)).toEqual([
      'Macron wants Europe to talk to Russia again.',
      'Macron wants Europe to talk to Russia again.',
    ]);
  });

  it('does not repeat the headline as the summary on Facebook and LinkedIn', () => {
    // No sentence is long enough to be a summary: the headline is the summary.
    const a = makeArticle({ url: URL_, title: 'Test', text: 'Test.', source: 't' });
    const withHeadline = { ...config, templates: { news: '{headline}\n\n{summary}\n\n{hashtags}' } };
    const posts = composePostsOffline(
      a,
      (['facebook', 'linkedin'] as const).map((platform) =>
        accountSchema.parse({ id: platform, platform, template: 'news' }),
      ),
      withHeadline,
    );
    for (const post of posts) {
      expect(post.summary).toBe('Test.');
      expect(post.text).toBe('Test.');
      expect(checkArticle(previewRecord(a, posts)).filter((e) => e.startsWith(post.platform))).toEqual([]);
    }
    // A summary that differs from the headline keeps the headline line.
    const seed = articleFromText(SEED, { url: URL_, source: 'seed/article.txt' });
    const [fb] = composePostsOffline(
      seed,
      [accountSchema.parse({ id: 'fb', platform: 'facebook', template: 'news' })],
      withHeadline,
    );
    expect(fb!.text.startsWith(`${seed.title}\n\n${fb!.summary}`)).toBe(true);
  });

  it('leaves the link out of an article with no web address but keeps its room, so the text is final', () => {
    const seed = articleFromText(SEED, { url: URL_, source: 'seed/article.txt' });
    const unlinked = articleFromText(SEED, { source: 'seed/article.txt' });
    expect(unlinked.url.startsWith('file:')).toBe(true);
    const withLink = composePostsOffline(seed, accounts, config);
    const without = composePostsOffline(unlinked, accounts, config);
    for (const [i, post] of without.entries()) {
      const linked = withLink[i]!;
      expect(post.link).toBe('');
      expect(post.text).not.toMatch(/https?:|file:/);
      // The same summary and hashtags as once the link is known: only the link line differs.
      expect(post.summary).toBe(linked.summary);
      expect(post.hashtags).toEqual(linked.hashtags);
      expect(linked.text.replace(linked.link, '').trim()).toBe(post.text);
    }
    const record = previewRecord(unlinked, without);
    expect(record.article.url).toBeNull();
    expect(record.warnings?.[0]).toMatch(/no web link/);
    expect(checkArticle(record)).toEqual([]);
  });
});

describe('Bluesky: a link longer than the post leaves room for no sentence', () => {
  // Percent-encoded, a unicode path is three times as long: over 300 characters, and Bluesky counts links in full.
  const longUrl = `https://news.example.org/2026/11/${'überschwemmung-in-köln-日本語-'.repeat(12)}ende`;
  const article = articleFromText(SEED, { url: longUrl, source: 'seed/article.txt' });
  const bsky = accountSchema.parse({ id: 'bsky', platform: 'bluesky' });

  it('writes the summary without the link, which the card carries; the validator agrees', async () => {
    const [post] = await composePosts(article, [bsky], config);
    expect(post!.link.length).toBeGreaterThan(300);
    expect(post!.summary).toMatch(/Okafor/);
    expect(post!.text).toContain(post!.summary);
    expect(post!.text).not.toContain('https://');
    expect(post!.article.url).toBe(post!.link);
    expect(checkPostText(post!, post!.text).problems).toEqual([]);
    // A short link still goes in the text, and may not be left out of it.
    const [short] = await composePosts(articleFromText(SEED, { url: URL_, source: 'x' }), [bsky], config);
    expect(short!.text).toContain(short!.link);
    expect(checkPostText(short!, short!.summary).problems.join()).toMatch(/link must stay/);
  });
});
