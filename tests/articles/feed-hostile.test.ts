import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/articles/read.js';
import { fetchPolicy } from '../../src/fetch/policy.js';

/**
 * Feeds and pages an independent check threw at intake (issue 8) that the first catalogue missed: links
 * relative to xml:base or to the feed's own address, an HTML DOCTYPE in front of an RSS root, UTF-16 with
 * no byte-order mark, and article images at addresses the fetch policy refuses.
 */

const fixture = (name: string) => resolve('tests/fixtures/feeds', name);

async function read(name: string, opts: Parameters<typeof readSource>[1] = {}) {
  const warnings: string[] = [];
  const articles = await readSource(fixture(name), {
    fullText: 'never',
    policy: fetchPolicy({ env: {} }),
    ...opts,
    warn: (m) => warnings.push(m),
  });
  return { articles, warnings };
}

describe('feeds read right', () => {
  it('Atom links are resolved against xml:base, the entry’s over the feed’s', async () => {
    const { articles } = await read('atom-xml-base.xml');
    expect(articles.map((a) => a.url)).toEqual([
      'https://harbour.example/news/2026/ferry-terminal',
      'https://harbour.example/night-service',
    ]);
  });

  it('Atom links are resolved against the feed’s own address (rel="self") when read from a file', async () => {
    const { articles, warnings } = await read('atom-relative-self.xml');
    expect(articles.map((a) => a.url)).toEqual(['https://harbour.example/2026/ferry-terminal']);
    expect(warnings).toEqual([]);
  });

  it('an RSS document behind an HTML DOCTYPE is read as the feed it is', async () => {
    const { articles } = await read('doctype-html-rss.xml');
    expect(articles.map((a) => [a.title, a.url])).toEqual([
      ['Ferry terminal to close', 'https://harbour.example/2026/ferry-terminal'],
    ]);
  });

  it('a UTF-16 feed with no byte-order mark is read (its "<?xml" says the encoding)', async () => {
    const { articles } = await read('utf16le-no-bom.xml');
    expect(articles.map((a) => a.title)).toEqual(['Ferry terminal to close – Fährterminal']);
  });
});

describe('article images at addresses the fetch policy refuses', () => {
  it('are left out at reading, with a warning naming the address; public images are kept', async () => {
    const { articles, warnings } = await read('images-private.xml');
    expect(articles.map((a) => a.image)).toEqual([
      undefined,
      undefined,
      'https://harbour.example/img/berth.jpg',
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /"Ferry terminal to close": image left out: refused: address 169\.254\.169\.254 \(link-local/,
      ),
      expect.stringMatching(/"Night service ends": image left out: refused: address ::ffff:7f00:1/),
    ]);
  });

  it('are kept when the operator allows the address', async () => {
    const { articles, warnings } = await read('images-private.xml', {
      policy: fetchPolicy({ allow: ['169.254.169.254'], env: {} }),
    });
    expect(articles[0]!.image).toBe('http://169.254.169.254/latest/meta-data/photo.jpg');
    expect(warnings).toHaveLength(1);
  });
});

describe('JSON Feeds built to break the reader', () => {
  it('a JSON Feed nested 100,000 levels deep is a malformed feed naming the depth, not a stack overflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-deep-json-'));
    const file = join(dir, 'deep.json');
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    writeFileSync(
      file,
      `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://harbour.example/a","title":"Ferry","content_text":"The council met.","x":${deep}}]}`,
    );
    try {
      await expect(readSource(file, { fullText: 'never' })).rejects.toThrow(
        /malformed feed: JSON nested deeper than \d+ levels/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('links with a user name or password', () => {
  it('a page’s canonical link and a feed item’s link are posted without the credentials they carry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-userinfo-'));
    const para =
      '<p>The harbour council met on Tuesday evening to discuss the future of the ferry terminal. Residents spoke for two hours about noise, traffic and the cost of the new berth.</p>';
    const page = join(dir, 'page.html');
    writeFileSync(
      page,
      `<!doctype html><html><head><title>Ferry terminal to close</title><link rel="canonical" href="https://editor:s3cret@harbour.example/2026/ferry"></head><body><article><h1>Ferry terminal to close</h1>${para}${para}</article></body></html>`,
    );
    const feed = join(dir, 'feed.xml');
    writeFileSync(
      feed,
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Ferry terminal to close</title><link>https://staging:pw@harbour.example/2026/ferry</link><description><![CDATA[${para}]]></description></item></channel></rss>`,
    );
    try {
      const [fromPage] = await readSource(page, { fullText: 'never' });
      const [fromFeed] = await readSource(feed, { fullText: 'never' });
      expect(fromPage!.url).toBe('https://harbour.example/2026/ferry');
      expect(fromFeed!.url).toBe('https://harbour.example/2026/ferry');
      expect(JSON.stringify([fromPage, fromFeed])).not.toMatch(/s3cret|staging:pw/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pages built to exhaust the reader', () => {
  const para =
    '<p>The harbour council met on Tuesday evening to discuss the future of the ferry terminal. Residents spoke for two hours about noise, traffic and the cost of the new berth.</p>';
  const page = (body: string) =>
    `<!doctype html><html><head><title>Ferry terminal to close</title></head><body>${body}</body></html>`;

  async function readPage(html: string) {
    const dir = mkdtempSync(join(tmpdir(), 'crier-exhaust-'));
    const file = join(dir, 'page.html');
    writeFileSync(file, html);
    const started = Date.now();
    try {
      const articles = await readSource(file, { url: 'https://harbour.example/a' });
      return { articles, ms: Date.now() - started };
    } catch (e) {
      return { error: (e as Error).message, ms: Date.now() - started };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    [
      '50,000 nested elements',
      page(`${'<div>'.repeat(50_000)}${para}${'</div>'.repeat(50_000)}`),
      /page nested 50000 elements deep, over the 512 a page may have/,
    ],
    [
      '30,000 unclosed inline elements',
      page(`${'<div><span><b>'.repeat(30_000)}${para}`),
      /page nested \d+ elements deep, over the 512 a page may have/,
    ],
    [
      '600,000 elements',
      page(`<article>${para.repeat(3)}${'<p>x</p>'.repeat(600_000)}</article>`),
      /page of 600008 elements, over the 50000 a page may have/,
    ],
  ])('%s: refused at once, naming the shape', async (_name, html, message) => {
    const r = await readPage(html);
    expect(r.error).toMatch(message);
    expect(r.ms).toBeLessThan(5_000 * (Number(process.env.CRIER_TEST_SLOWDOWN) || 1));
  });

  it('a page with unclosed paragraphs and list items (old HTML) is read', async () => {
    const r = await readPage(
      page(`<article>${para.replace('</p>', '').repeat(700)}<ul>${'<li>item'.repeat(700)}</ul></article>`),
    );
    expect(r.articles?.[0]?.title).toBe('Ferry terminal to close');
  });
});

describe('feed items built to exhaust the reader', () => {
  it('an item whose content nests 50,000 deep is skipped with a warning; the others are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-exhaust-feed-'));
    const file = join(dir, 'feed.xml');
    const text =
      'The harbour council met on Tuesday evening to discuss the future of the ferry terminal. Residents spoke for two hours about noise, traffic and the cost of the new berth.';
    const item = (title: string, html: string) =>
      `<item><title>${title}</title><link>https://harbour.example/${title.length}</link><description><![CDATA[${html}]]></description></item>`;
    writeFileSync(
      file,
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${item('Deep', `${'<div>'.repeat(50_000)}${text}${'</div>'.repeat(50_000)}`)}${item('Ferry terminal to close', `<p>${text}</p>`)}</channel></rss>`,
    );
    const warnings: string[] = [];
    const started = Date.now();
    try {
      const articles = await readSource(file, { fullText: 'never', warn: (m) => warnings.push(m) });
      expect(articles.map((a) => a.title)).toEqual(['Ferry terminal to close']);
      expect(warnings).toEqual([
        expect.stringMatching(/"Deep" skipped: its content is nested 50000 elements deep, over the 512/),
      ]);
      expect(Date.now() - started).toBeLessThan(5_000 * (Number(process.env.CRIER_TEST_SLOWDOWN) || 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
