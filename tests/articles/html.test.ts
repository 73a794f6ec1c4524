import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scoreOf, tokenCounts } from '../../scripts/eval/extraction.js';
import { articleFromHtml, SourceError } from '../../src/articles/read.js';

const corpus = resolve(process.cwd(), '../shared/corpus');

const BODY = [
  'The city council approved the new transit plan on Tuesday after a six-hour debate that ran late into the night.',
  'Under the plan, three new bus lines will open next spring, and fares for students will fall by a quarter.',
  '“This is the biggest change to our network in twenty years,” said Maria Lopez, who chairs the transport committee.',
  'Opponents argued the plan would cost more than the city can afford, and promised to raise it again at the next budget vote.',
];

const page = `<!DOCTYPE html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>Council approves transit plan | The Daily Planet</title>
  <link rel="canonical" href="/news/2024/03/transit-plan?utm_source=rss">
  <meta property="og:site_name" content="The Daily Planet">
  <meta property="og:title" content="Council approves transit plan">
  <meta property="og:description" content="Three new bus lines and cheaper student fares.">
  <meta property="og:image" content="/images/transit.jpg">
  <meta property="article:published_time" content="2024-03-05T18:30:00+01:00">
  <meta property="article:tag" content="Transport">
  <meta property="article:tag" content="City council">
  <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council approves transit plan","keywords":["Buses","Transport"],"author":{"@type":"Person","name":"Jane Doe"}}</script>
  <style>body { font-family: serif; }</style>
  <script>window.tracking = "do not run";</script>
</head><body>
  <a href="#main">Skip to content</a>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  <main id="main"><article>
    <h1>Council approves transit plan</h1>
    <div class="share"><a href="https://facebook.com/x">Share on Facebook</a> <a href="https://twitter.com/x">Share on Twitter</a></div>
    ${BODY.map((p) => `<p>${p}</p>`).join('\n    ')}
    <p>Advertisement</p>
    <p>Contact the newsroom: news@dailyplanet.example or +1 (555) 010-4477.</p>
    <p class="tags">Filed under <a rel="tag" href="/tag/budget">Budget</a></p>
  </article></main>
  <footer><p>© 2024 The Daily Planet. All rights reserved.</p></footer>
</body></html>`;

describe('articleFromHtml on a hand-written page', () => {
  const a = articleFromHtml(page, {
    url: 'https://dailyplanet.example/news/2024/03/transit-plan',
    source: 'page.html',
  });

  it('extracts the paragraphs, blank-line separated, without furniture', () => {
    expect(a.text.split('\n\n').slice(0, 4)).toEqual(BODY);
    for (const f of [
      'Skip to content',
      'Share on',
      'Advertisement',
      'All rights reserved',
      'do not run',
      'font-family',
    ]) {
      expect(a.text).not.toContain(f);
    }
    expect(a.text).not.toMatch(/@|555/);
  });

  it('keeps the metadata: title, canonical URL, description, absolute image, time, tags, author', () => {
    expect(a.title).toBe('Council approves transit plan');
    expect(a.url).toBe('https://dailyplanet.example/news/2024/03/transit-plan?utm_source=rss');
    expect(a.key).toBe('https://dailyplanet.example/news/2024/03/transit-plan');
    expect(a.description).toBe('Three new bus lines and cheaper student fares.');
    expect(a.image).toBe('https://dailyplanet.example/images/transit.jpg');
    expect(a.publishedAt).toBe('2024-03-05T17:30:00.000Z');
    expect(a.tags).toEqual(['Transport', 'City council', 'Buses', 'Budget']);
    expect(a.author).toBe('Jane Doe');
  });

  it('reads JSON-LD and <time> when meta tags are missing, and ignores a home-page canonical', () => {
    const html = `<html><head><title>Flood warning – River Times</title>
      <link rel="canonical" href="https://river.example/">
      <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"River Times"},
        {"@type":"Article","headline":"Flood warning issued","datePublished":"2023-11-02T08:00:00Z",
         "image":{"@type":"ImageObject","url":"https://cdn.river.example/flood.jpg"},"keywords":"Floods, Weather"}]}</script>
      </head><body><article><time datetime="2020-01-01">old</time>
      <p>${BODY[0]}</p><p>${BODY[1]}</p><p>${BODY[3]}</p></article></body></html>`;
    const b = articleFromHtml(html, { url: 'https://river.example/2023/flood', source: 'flood.html' });
    expect(b.url).toBe('https://river.example/2023/flood');
    expect(b.publishedAt).toBe('2023-11-02T08:00:00.000Z');
    expect(b.image).toBe('https://cdn.river.example/flood.jpg');
    expect(b.tags).toEqual(['Floods', 'Weather']);

    const c = articleFromHtml(html.replace(/<script[\s\S]*?<\/script>/, ''), {
      url: 'https://river.example/x',
      source: 'x',
    });
    expect(c.publishedAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it('falls back to the page container when Readability finds too little', () => {
    const html = `<html><body><div id="story"><p>Short story, but real: the bridge reopened today.</p></div></body></html>`;
    const b = articleFromHtml(html, { url: 'https://example.org/bridge', source: 'bridge.html' });
    expect(b.text).toBe('Short story, but real: the bridge reopened today.');
    expect(b.title).toBe('Short story, but real: the bridge reopened today.');
  });

  it('survives broken entities in meta content (corpus fixture 005-unescape-html-entities)', () => {
    const html = readFileSync(
      resolve(corpus, 'article-html-readability/005-unescape-html-entities/source.html'),
      'utf8',
    );
    const a = articleFromHtml(html, { url: 'https://example.org/e', source: 'entities.html' });
    expect(a.text).toBe('Test');
    expect(a.description).toBe('&#xg; 😭 😭 \uFFFD \uFFFD');
  });

  it('fails with an "empty" SourceError naming the source when the page has no text', () => {
    expect(() =>
      articleFromHtml('<html><body><nav><a href="/">Home</a></nav></body></html>', { source: 'blank.html' }),
    ).toThrow(SourceError);
    expect(() => articleFromHtml('<html><body></body></html>', { source: 'blank.html' })).toThrow(
      /^blank\.html: /,
    );
  });
});

describe('articleFromHtml on corpus pages', () => {
  const readability = (id: string) =>
    readFileSync(resolve(corpus, 'article-html-readability', id, 'source.html'), 'utf8');

  it('guardian-1: canonical, image, time, tags, author and the article text', () => {
    const a = articleFromHtml(readability('guardian-1'), {
      url: 'http://fakehost/test/page.html',
      source: 'guardian-1',
    });
    expect(a.url).toBe(
      'https://www.theguardian.com/environment/2019/jan/03/what-is-the-sea-telling-us-maori-tribes-fearful-over-whale-strandings',
    );
    expect(a.image).toMatch(/^https:\/\/i\.guim\.co\.uk\/img\/media\//);
    expect(a.publishedAt).toBe('2019-01-03T07:00:02.000Z');
    expect(a.tags.slice(0, 3)).toEqual(['Oceans', 'New Zealand', 'Environment']);
    expect(a.author).toBe('Eleanor Ainge Roy');
    expect(a.text).toContain(
      'Māori harvest rights over dead whales have only been officially recognised since 1998',
    );
    expect(a.text.split('\n\n').at(-1)).toBe(
      '“It’s very emotional. Our ancestors tell us the strandings are a sign from the sea. So what is the sea telling us? We need to listen.”',
    );
    expect(a.text.split('\n\n').length).toBeGreaterThan(10);
  });

  it('nytimes-2: one tag per article:tag meta, even with commas inside', () => {
    const a = articleFromHtml(readability('nytimes-2'), {
      url: 'http://fakehost/test/page.html',
      source: 'nytimes-2',
    });
    expect(a.tags).toContain('Mergers, Acquisitions and Divestitures');
    expect(a.url).toMatch(/^https:\/\/www\.nytimes\.com\/2016\/07\/30\//);
  });

  it('Zyte pages: extracted text agrees with the ground truth (token F1 >= 0.9)', () => {
    const dir = resolve(corpus, 'article-html-zyte');
    const truth = JSON.parse(readFileSync(resolve(dir, 'ground-truth.json'), 'utf8')) as Record<
      string,
      { articleBody: string; url: string }
    >;
    for (const id of Object.keys(truth).sort().slice(0, 3)) {
      const html = gunzipSync(readFileSync(resolve(dir, 'html', `${id}.html.gz`))).toString('utf8');
      const a = articleFromHtml(html, { url: truth[id]!.url, source: id });
      expect(scoreOf(tokenCounts(truth[id]!.articleBody, a.text)).f1, id).toBeGreaterThanOrEqual(0.9);
      expect(a.url).toMatch(/^https?:\/\//);
    }
  });
});
