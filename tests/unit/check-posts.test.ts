import { describe, expect, it } from 'vitest';
import { checkPosts } from '../helpers/check-posts.js';

/** The outside check that stands in for ../shared/check/validate-posts.mjs must catch what it claims to. */
describe('checkPosts (the tests’ independent post checker)', () => {
  const url = 'https://news.example.com/2026/rail-talks';
  const article = {
    url,
    title: 'Rail talks',
    text: 'The mayor asked the unions back to talks.\nNo deal yet',
  };
  const good = [
    {
      platform: 'twitter',
      text: `The mayor asked the unions back to talks.\n\n${url}`,
      summary: 'The mayor asked the unions back to talks.',
    },
    {
      platform: 'facebook',
      text: 'The mayor asked the unions back to talks.',
      summary: 'The mayor asked the unions back to talks.',
      link: url,
    },
    {
      platform: 'linkedin',
      text: 'The mayor asked the unions back to talks. \\(Updated\\) #Rail',
      summary: 'No deal yet',
    },
  ];
  const errorsWith = (platform: string, changes: Record<string, string>) =>
    checkPosts({ article, posts: good.map((p) => (p.platform === platform ? { ...p, ...changes } : p)) });

  it('passes well-formed posts (a summary may end where a line of the article ends)', () => {
    expect(checkPosts({ article, posts: good })).toEqual([]);
  });

  it('reports each broken rule, naming the platform', () => {
    expect(checkPosts({ article, posts: good.slice(0, 2) })).toEqual(['linkedin: no post']);
    expect(errorsWith('twitter', { text: `${'word '.repeat(60)}${url}` })[0]).toMatch(
      /^twitter: not a valid tweet/,
    );
    expect(errorsWith('twitter', { text: 'No link here.' })).toEqual(['twitter: no article link']);
    expect(errorsWith('facebook', { link: '' })).toEqual(['facebook: no link']);
    expect(errorsWith('facebook', { text: 'Write to desk@news.example.com today.' })).toEqual([
      'facebook: e-mail address in the post',
    ]);
    expect(errorsWith('facebook', { text: 'Skip to content' })[0]).toMatch(/^facebook: site furniture/);
    expect(errorsWith('facebook', { summary: 'The mayor asked the' })[0]).toMatch(/^facebook: summary stops/);
    expect(errorsWith('linkedin', { text: 'Shares (ACME) rose.' })).toEqual([
      "linkedin: unescaped '(' at 7: readers would see 7 characters",
    ]);
    expect(errorsWith('linkedin', { text: 'x'.repeat(3001) })).toEqual(['linkedin: 3001 characters > 3000']);
  });
});
