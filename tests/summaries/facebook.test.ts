import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { type AccountConfig, accountSchema } from '../../src/config/schema.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { codePointLength, endsSentence } from '../../src/summaries/text.js';

const LINK = 'https://news.example.com/world/macron-russia';
const TEXT = [
  'French President Emmanuel Macron has urged Europe to reopen talks with Russia (again) even as tensions remain raw.',
  'The Kremlin said Macron’s comments were noted and welcomed by Russian officials on Tuesday.',
  'Europe and Russia have spoken in whispers of suspicion for years while sanctions froze diplomacy.',
].join('\n\n');
const article = makeArticle({
  url: LINK,
  title: 'Macron urges talks with Russia',
  text: TEXT,
  source: 't',
  tags: ['Diplomacy'],
});
const facebook = (fields: Partial<AccountConfig> = {}) =>
  composePostsOffline(article, [accountSchema.parse({ id: 'fb', platform: 'facebook', ...fields })], {
    site: { name: 'The Daily Test', url: 'https://news.example.com/' },
    templates: {},
    summaries: { engine: 'offline' },
  })[0]!;

describe('Facebook composer', () => {
  it('puts the link in Post.link for the link card and the summary with hashtags in the message', () => {
    const post = facebook();
    expect(post.platform).toBe('facebook');
    expect(post.link).toBe(LINK);
    expect(post.text).not.toContain(LINK);
    expect(post.text).toBe(`${post.summary}\n\n#Diplomacy #Macron`);
    expect(endsSentence(post.summary)).toBe(true);
    // Facebook has no markup to escape: the parentheses stay as written.
    expect(post.text).toContain('(again)');
  });

  it('puts the link in the message too when the template asks for it, with UTM parameters', () => {
    const post = facebook({
      template: '{summary}\n\nRead more: {link}',
      utm: { source: 'facebook', medium: 'social', campaign: 'spring' },
    });
    const withUtm = `${LINK}?utm_source=facebook&utm_medium=social&utm_campaign=spring`;
    expect(post.link).toBe(withUtm);
    expect(post.text.endsWith(`Read more: ${withUtm}`)).toBe(true);
    expect(post.hashtags).toEqual([]);
  });

  it('stays within 63,206 characters whatever the template', () => {
    const post = facebook({ template: `${'x'.repeat(63_150)}\n{summary}` });
    expect(codePointLength(post.text)).toBeLessThanOrEqual(63_206);
    expect(post.summary.length).toBeGreaterThan(0);
  });
});
