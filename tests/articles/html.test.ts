import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreOf, tokenCounts } from '../../scripts/eval/extraction.js';
import { articleFromHtml, SourceError } from '../../src/articles/read.js';
import { fixture } from '../fixtures/index.js';

const pages = fixture('pages');

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

  it('survives broken entities in meta content (invalid, astral, out of range, NUL)', () => {
    const html = readFileSync(resolve(pages, 'broken-entities.html'), 'utf8');
    const a = articleFromHtml(html, { url: 'https://example.org/e', source: 'entities.html' });
    expect(a.text).toBe('Entities test');
    expect(a.description).toBe('&#xq; 😀 😀 \uFFFD \uFFFD');
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

describe('articleFromHtml on full news pages', () => {
  const page = (name: string) => readFileSync(resolve(pages, name), 'utf8');

  it('a newspaper page: canonical, image, time, tags, author and the article text without furniture', () => {
    const a = articleFromHtml(page('news-article.html'), {
      url: 'http://fakehost/test/page.html',
      source: 'news-article',
    });
    expect(a.url).toBe(
      'https://www.thecourier.example/environment/2024/mar/14/reef-talking-to-us-coral-bleaching-western-australia',
    );
    expect(a.image).toMatch(/^https:\/\/i\.courierimg\.example\/img\/media\//);
    expect(a.publishedAt).toBe('2024-03-14T03:00:02.000Z');
    expect(a.tags.slice(0, 3)).toEqual(['Coral', 'Australia news', 'Environment']);
    expect(a.author).toBe('Amelia Cho');
    expect(a.text).toContain(
      'The Baiyungu people, the traditional owners of the area around Coral Bay, have been monitoring the reef',
    );
    expect(a.text.split('\n\n').at(-1)).toBe(
      '“It’s very hard to watch. My grandfather used to say the reef speaks to you if you listen. Right now it is shouting.”',
    );
    expect(a.text.split('\n\n').length).toBeGreaterThan(10);
    // Cookie banner, navigation, share bars, ads, related links, most viewed, comments, footer, contacts.
    for (const f of [
      'cookies',
      'Skip to',
      'Share on',
      'WhatsApp',
      'Advertisement',
      'Related:',
      'Most viewed',
      'budget details leaked',
      'Heartbreaking',
      'All rights reserved',
      'Reuse this content',
    ])
      expect(a.text).not.toContain(f);
    expect(a.text).not.toMatch(/@|9555/);
  });

  it('one tag per article:tag meta, even with commas inside', () => {
    const a = articleFromHtml(page('tags-per-meta.html'), {
      url: 'http://fakehost/test/page.html',
      source: 'tags-per-meta',
    });
    expect(a.tags).toContain('Mergers, Acquisitions and Divestitures');
    expect(a.url).toMatch(/^https:\/\/www\.dailyledger\.example\/2016\/07\/30\//);
  });

  it('pages of three site builds: extracted text agrees with the ground truth (token F1 >= 0.9)', () => {
    const dir = resolve(pages, 'ground-truth');
    const truth = JSON.parse(readFileSync(resolve(dir, 'ground-truth.json'), 'utf8')) as Record<
      string,
      { articleBody: string; url: string }
    >;
    expect(Object.keys(truth)).toHaveLength(3);
    for (const id of Object.keys(truth).sort()) {
      const html = readFileSync(resolve(dir, `${id}.html`), 'utf8');
      const a = articleFromHtml(html, { url: truth[id]!.url, source: id });
      expect(scoreOf(tokenCounts(truth[id]!.articleBody, a.text)).f1, id).toBeGreaterThanOrEqual(0.9);
      expect(a.url).toMatch(/^https?:\/\//);
    }
  });
});
