import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding } from '../../src/articles/decode.js';
import { articlesFromFeed, isSourceError, readSource, SourceError } from '../../src/articles/read.js';
import { fixture } from '../fixtures/index.js';

const feeds = fixture('feeds');
const manifest = JSON.parse(readFileSync(resolve(feeds, 'manifest.json'), 'utf8')) as Array<{
  file: string;
  items: number;
  publisher_note: string;
}>;
const bytesOf = (file: string) => readFileSync(resolve(feeds, file));
/** A fixture the corpus marks as intentionally broken. */
const isMalformed = (note: string) => /malformed|invalid|broken/i.test(note);

describe('feeds as sites publish them', () => {
  it.each(manifest.map((m) => [m.file, m] as const))('%s', (file, m) => {
    if (isMalformed(m.publisher_note)) {
      expect(() => articlesFromFeed(bytesOf(file), { source: file })).toThrow(SourceError);
      return;
    }
    const articles = articlesFromFeed(bytesOf(file), { source: file });
    expect(articles).toHaveLength(m.items);
    for (const a of articles) {
      expect(a.title.length).toBeGreaterThan(0);
      expect(a.text.length).toBeGreaterThan(0);
      expect(a.url).toMatch(/^https?:\/\//);
      expect(a.source).toBe(file);
    }
    expect(new Set(articles.map((a) => a.key)).size).toBe(articles.length);
  });

  it('turns HTML content into paragraph text', () => {
    for (const file of ['news-rss2.xml', 'blog-content-encoded-rss2.xml', 'wordpress-rss2.xml']) {
      for (const a of articlesFromFeed(bytesOf(file), { source: file })) {
        expect(a.text).not.toMatch(/<\/?(?:p|div|img|a|figure)\b|&(?:amp|lt|gt|nbsp);/);
      }
    }
    const [blog] = articlesFromFeed(bytesOf('blog-content-encoded-rss2.xml'), { source: 'blog' });
    expect(blog!.text.split('\n\n').slice(0, 2)).toEqual([
      'Foraging in the City',
      expect.stringMatching(/^HEY THERE, READER! YES, YOU, SCROLLING PAST THE DANDELIONS!/),
    ]);
    expect(blog!.image).toMatch(/^https:\/\/cdn-images\.blogspace\.example\//);
  });

  it('decodes ISO-8859-1 declared in the XML declaration', () => {
    const [first] = articlesFromFeed(bytesOf('latin1-declared-rss2.xml'), { source: 'da' });
    expect(first!.title).toBe('Câmara aprova orçamento para a saúde em Évora');
    expect(first!.text).toContain('João Sebastião, vereador da área da Saúde');
  });

  it('decodes undeclared Latin-1 bytes (invalid as UTF-8) as windows-1252', () => {
    const bytes = bytesOf('latin1-undeclared-rss2.xml');
    expect(detectEncoding(bytes)).toBe('windows-1252');
    const [first] = articlesFromFeed(bytes, { source: 'portal' });
    expect(first!.title).toBe('Pesquisa: candidata lidera em São Paulo com 38% das intenções de voto');
    expect(first!.publishedAt).toBe('2024-10-02T21:30:00.000Z');
  });

  it('reads UTF-8 bytes mislabelled ISO-8859-1 as UTF-8', () => {
    const bytes = bytesOf('utf8-mislabelled-rss2.xml');
    expect(detectEncoding(bytes)).toBe('utf-8');
    expect(decodeBytes(bytes)).toContain('© Photo Agency/Archive');
  });

  it('honours an HTTP charset over the document and keeps accented words', () => {
    const xml =
      '<rss version="2.0"><channel><item><title>Café à Paris</title><link>https://x.test/a</link></item></channel></rss>';
    const latin1 = iconv.encode(xml, 'latin1');
    const [a] = articlesFromFeed(latin1, {
      source: 'x',
      contentType: 'application/rss+xml; charset=ISO-8859-1',
    });
    expect(a!.title).toBe('Café à Paris');
  });

  it('maps item fields: content:encoded text, categories, image, author, GUID-less keys by URL', () => {
    const [wp] = articlesFromFeed(bytesOf('wordpress-rss2.xml'), { source: 'wp' });
    expect(wp).toMatchObject({
      title: 'Antarctic sea ice isn’t just low this year, it’s off the charts',
      url: 'https://polardesk.example/?p=48213',
      text: 'The sea ice around Antarctica shrank to its smallest extent on record in February.',
      description: 'The ice around the continent covered 1.9 million square kilometres in February.',
      tags: ['Science', 'climate', 'oceans'],
      author: 'Ingrid Solberg',
      publishedAt: '2024-03-12T14:05:00.000Z',
    });
    const [courier] = articlesFromFeed(bytesOf('utf8-mislabelled-rss2.xml'), { source: 'courier' });
    expect(courier!.image).toMatch(/^http:\/\/i\.img\.example\/.*\.jpg$/);
    const [prairie] = articlesFromFeed(bytesOf('tags-rss2.xml'), { source: 'prairie' });
    // "Living", "living" and "LIVING" are one tag; so are "Night buses" and "night-buses".
    expect(prairie!.tags).toEqual(['Kelvin Collegiate', 'transit', 'Living', 'Night buses', 'News']);
  });

  it('reads Atom entries (HTML summary to paragraphs, alternate link, author)', () => {
    const [reg] = articlesFromFeed(bytesOf('atom.xml'), { source: 'reg' });
    expect(reg!.url).toBe(
      'https://go.orbitalregister.example/feed/www.orbitalregister.example/2024/07/31/lunar_lander_contract_dropped/',
    );
    expect(reg!.author).toBe('Priya Anand');
    expect(reg!.text.split('\n\n')[0]).toBe('Moon landings are hard: Startup hands back its task order');
  });
});

describe('JSON Feed and malformed feeds', () => {
  const jsonFeed = JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Planet News',
    home_page_url: 'https://planet.example/',
    items: [
      {
        id: 'https://planet.example/p/1',
        url: '/2024/05/eclipse',
        title: 'Eclipse crowds fill the valley',
        content_html: '<p>Thousands gathered.</p><p>Hotels were full for days.</p><p>Share on Facebook</p>',
        summary: 'Thousands gathered in the valley.',
        image: 'https://planet.example/img/eclipse.jpg',
        date_published: '2024-05-01T10:00:00+02:00',
        tags: ['Space', 'space', 'Tourism'],
        authors: [{ name: 'Ana Ruiz' }],
      },
      { id: 'tag:planet.example,2024:2', content_text: 'A note without a link.\n\nSecond paragraph.' },
    ],
  });

  it('reads JSON Feed items, resolving relative links against home_page_url', () => {
    const [a, b] = articlesFromFeed(jsonFeed, { source: 'planet.json' });
    expect(a).toMatchObject({
      url: 'https://planet.example/2024/05/eclipse',
      key: 'https://planet.example/2024/05/eclipse',
      title: 'Eclipse crowds fill the valley',
      text: 'Thousands gathered.\n\nHotels were full for days.',
      description: 'Thousands gathered in the valley.',
      image: 'https://planet.example/img/eclipse.jpg',
      publishedAt: '2024-05-01T08:00:00.000Z',
      tags: ['Space', 'Tourism'],
      author: 'Ana Ruiz',
    });
    // No link: the GUID is the identity and there is no web URL to share.
    expect(b).toMatchObject({ url: '', key: 'tag:planet.example,2024:2', title: 'A note without a link.' });
    expect(b!.text).toBe('A note without a link.\n\nSecond paragraph.');
  });

  it.each([
    [
      'truncated XML',
      '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Broken</title><link>http://x',
    ],
    [
      'unclosed element',
      '<rss version="2.0"><channel><item><title>One</title><description>x</item></channel></rss>',
    ],
    ['an HTML page', '<html><body><p>Document moved</p></body></html>'],
    ['truncated JSON Feed', '{"version":"https://jsonfeed.org/version/1.1","items":['],
    [
      'items with nothing in them',
      '{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[{"id":"1"}]}',
    ],
  ])('fails with an "unparseable" SourceError naming the source for %s', (_, text) => {
    let error: unknown;
    try {
      articlesFromFeed(text, { source: 'feeds/broken.xml' });
    } catch (e) {
      error = e;
    }
    expect(isSourceError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unparseable', source: 'feeds/broken.xml' });
    expect((error as Error).message).toMatch(/^feeds\/broken\.xml: (?:malformed feed|not an RSS)/);
  });

  it('reads an empty channel as no articles', () => {
    expect(
      articlesFromFeed('<rss version="2.0"><channel><title>T</title></channel></rss>', { source: 'e' }),
    ).toEqual([]);
  });

  it('readSource sniffs a feed file and keeps the file name in errors', async () => {
    const articles = await readSource(resolve(feeds, 'news-rss2.xml'));
    expect(articles).toHaveLength(6);
    await expect(readSource(resolve(feeds, 'news-rss2.xml'), { kind: 'wordpress' })).rejects.toMatchObject({
      code: 'unparseable',
      source: resolve(feeds, 'news-rss2.xml'),
    });
  });
});
