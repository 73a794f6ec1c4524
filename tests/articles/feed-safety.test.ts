import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articlesFromFeed, readSource, SourceError } from '../../src/articles/read.js';
import { sniffKind } from '../../src/articles/sniff.js';

/** Feeds are feeds: DOCTYPEs, entities, broken XML, foreign links, original links, JSON Feed types, limits. */

const fixture = (name: string) => resolve('tests/fixtures/feeds', name);

async function read(name: string, opts: Parameters<typeof readSource>[1] = {}) {
  const warnings: string[] = [];
  const articles = await readSource(fixture(name), { ...opts, warn: (m) => warnings.push(m) });
  return { articles, warnings };
}

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error('expected a SourceError');
}

describe('feeds with a DOCTYPE', () => {
  it('is sniffed as a feed, not a web page', () => {
    expect(sniffKind('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss version="2.0"/>')).toBe(
      'feed',
    );
    expect(
      sniffKind(
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd"><rss version="0.91"/>',
      ),
    ).toBe('feed');
  });

  it('a billion-laughs feed is read without expanding an entity', async () => {
    const started = process.memoryUsage().heapUsed;
    const { articles, warnings } = await read('billion-laughs.xml');
    expect(articles).toHaveLength(1);
    expect(articles[0]!.title).toBe('Ferry terminal to close');
    expect(articles[0]!.text).not.toMatch(/lol/);
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(200 * 1024 * 1024);
    expect(warnings.join('\n')).toMatch(/DOCTYPE declares entities \(lol, lol1, .*not expanded/);
  });

  it('an external entity is never fetched or read', async () => {
    const { articles } = await read('external-entity.xml');
    expect(articles[0]!.text).toBe(
      'The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season.',
    );
    expect(articles[0]!.text).not.toMatch(/root:|secret|remote/);
  });

  it('an RSS 0.91 feed with its public DOCTYPE and HTML entities reads right (ISO-8859-1)', async () => {
    const { articles } = await read('rss091-doctype.xml');
    expect(articles[0]!.title).toBe('Le café du port rouvre ses portes');
    expect(articles[0]!.text).toMatch(/^Après six mois de travaux, le café du port/);
  });
});

describe('broken feeds', () => {
  it('a truncated feed is an error with its line and column', async () => {
    const e = await failure(read('truncated.xml'));
    expect(e.code).toBe('unparseable');
    expect(e.message).toMatch(
      /truncated\.xml: malformed feed: line 9, column \d+: unclosed tag: description/,
    );
  });

  it.each([
    [
      '<rss version="2.0"><channel><title>T</titel></channel></rss>',
      /line 1, column \d+: (unexpected close tag|unmatched closing tag)/,
    ],
    [
      '<rss version="2.0"><channel><item><title>A</title></channel></rss>',
      /unexpected close tag|unmatched closing tag/,
    ],
  ])('mismatched tags: %s', (xml, message) => {
    expect(() => articlesFromFeed(xml, { source: 'inline.xml' })).toThrow(message);
  });

  it('sloppy but whole feeds still read (a bare &, an unknown entity)', async () => {
    const items = articlesFromFeed(
      '<rss version="2.0"><channel><title>AT&T</title><item><title>Q&A &nbsp; with the mayor</title><link>https://x.example/qa</link><description>The mayor answered readers on Friday.</description></item></channel></rss>',
      { source: 'sloppy.xml' },
    );
    expect(items[0]!.title).toMatch(/^Q&A/);
  });
});

describe('item links', () => {
  it('an item whose link is not http(s) is skipped with a warning naming it', async () => {
    const { articles, warnings } = await read('bad-links.xml');
    expect(articles.map((a) => a.url)).toEqual(['https://harbour.example/ferry']);
    expect(warnings).toEqual([
      expect.stringMatching(/"Click me" skipped: its link is a javascript: address, not http\(s\)/),
      expect.stringMatching(/"Local file" skipped: its link is a file: address, not http\(s\)/),
    ]);
  });

  it('feedburner:origLink and pheedo:origLink win over the redirector', async () => {
    const { articles } = await read('feedburner.xml');
    expect(articles.map((a) => a.url)).toEqual([
      'https://harbour.example/2026/ferry-terminal',
      'https://harbour.example/2026/night-service',
    ]);
  });
});

describe('JSON Feed', () => {
  it('items with wrongly typed fields are skipped with a message naming the field; never a post "t."', async () => {
    const { articles, warnings } = await read('wrong-types.json');
    expect(articles.map((a) => a.title)).toEqual(['Shorter queues promised']);
    expect(warnings).toEqual([
      expect.stringMatching(/JSON Feed item 1 \(id "1"\) skipped: "title" is an object, expected a string/),
      expect.stringMatching(/JSON Feed item 2 \(id 2\) skipped: "url" is an array, expected a string/),
      expect.stringMatching(/JSON Feed item 3 \(id "3"\) skipped: "tags" is a string, expected an array/),
    ]);
  });

  it('a wrongly typed top level is an error', async () => {
    expect(() =>
      articlesFromFeed('{"version":"https://jsonfeed.org/version/1.1","items":"none"}', { source: 'f.json' }),
    ).toThrow(/f\.json: malformed feed: JSON Feed "items" is a string, expected an array/);
  });
});

describe('feed limits', () => {
  it('reads a 10,000-item feed of several MB within its limits, and only maxItems of a longer one', async () => {
    const items = Array.from(
      { length: 10_000 },
      (_, i) =>
        `<item><title>Story ${i}</title><link>https://big.example/s-${i}</link><description>Story ${i}: the council met on Tuesday to discuss the harbour plan and the new ferry terminal; officials said work would begin in spring, residents asked about noise and traffic.</description></item>`,
    );
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>${items.join('\n')}</channel></rss>`;
    expect(xml.length).toBeGreaterThan(2_000_000);
    expect(articlesFromFeed(xml, { source: 'big.xml' })).toHaveLength(10_000);
    const warnings: string[] = [];
    const first = articlesFromFeed(xml, { source: 'big.xml', maxItems: 100, warn: (m) => warnings.push(m) });
    expect(first).toHaveLength(100);
    expect(first[0]!.title).toBe('Story 0');
    expect(warnings).toEqual([
      'big.xml: the feed lists 10000 items; only the first 100 are read (feeds.maxItems)',
    ]);
  }, 60_000);
});
