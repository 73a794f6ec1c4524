import { JSDOM } from 'jsdom';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it, vi } from 'vitest';
import type { Post } from '../../src/core/post.js';
import { checkPostText } from '../../src/summaries/validate.js';

// A platform whose module brings no preview (as a sixth platform would at first): its descriptor without one.
vi.mock('../../src/platforms/descriptors.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platforms/descriptors.js')>();
  return {
    ...real,
    platformOf: (name: Parameters<typeof real.platformOf>[0]) => {
      const d = real.platformOf(name);
      return name === 'facebook' ? { ...d, preview: undefined } : d;
    },
  };
});

const { GenericPreview, previewOf } = await import('../../src/http/console/views/previews.js');

const LINK = 'https://news.example.org/2026/11/storm-power-links';
const post: Post = {
  platform: 'facebook',
  account: 'page',
  articleId: 'a',
  articleKey: 'k',
  text: 'The <b onmouseover=alert(1)>grid</b> held. #Energy',
  summary: 'The grid held.',
  link: LINK,
  hashtags: ['#Energy'],
  article: { url: LINK, title: '<script>alert(2)</script> Storm', image: 'javascript:alert(3)' },
};

describe('a platform without a preview of its own', () => {
  it('gets the generic one, without the console naming it: text as text, link card, count', async () => {
    const { Preview, style } = await previewOf('facebook');
    expect(Preview).toBe(GenericPreview);
    expect(style).toBeUndefined();
    const html = renderToString(
      h(Preview, { post, siteName: 'North Sea Post', check: checkPostText(post, post.text) }),
    );
    const doc = new JSDOM(html).window.document;
    const preview = doc.querySelector('article.preview')!;
    expect(preview.getAttribute('aria-label')).toBe('Preview on Facebook for page');
    expect(preview.querySelector('.body')?.textContent).toBe(post.text);
    expect(preview.querySelector('.body .tag')?.textContent).toBe('#Energy');
    expect(preview.querySelector('a.card')?.getAttribute('href')).toBe(LINK);
    expect(preview.querySelector('.card-title')?.textContent).toBe('<script>alert(2)</script> Storm');
    expect(preview.querySelector('img')).toBeNull(); // a javascript: image is never a source
    expect(preview.querySelector('[data-count]')?.textContent).toBe(
      `${[...post.text].length}/63206 characters`,
    );
    expect(doc.querySelectorAll('script, b')).toHaveLength(0);
  });

  it('the others keep their own', async () => {
    for (const name of ['twitter', 'linkedin', 'bluesky', 'mastodon'] as const)
      expect((await previewOf(name)).Preview, name).not.toBe(GenericPreview);
  });
});
