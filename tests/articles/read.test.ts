import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalKey } from '../../src/articles/article.js';
import { readSource, SourceError } from '../../src/articles/read.js';
import { sniffKind } from '../../src/articles/sniff.js';
import { wordpressPostsUrl } from '../../src/articles/wordpress.js';

const PARAGRAPHS = [
  'The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season.',
  'A new terminal, built two kilometres to the east, will take over all routes from September and add a night service.',
  'Local shop owners said they feared losing trade, while commuters welcomed the promise of shorter queues and more sailings.',
];

const articlePage = (path: string) => `<!doctype html><html><head><title>Ferry terminal to close</title>
<link rel="canonical" href="${path}"><meta property="og:image" content="/img/ferry.jpg">
<meta property="article:tag" content="Harbour"></head>
<body><article><h1>Ferry terminal to close</h1>${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}
<p>Leave a comment</p></article></body></html>`;

const wpPosts = [
  {
    id: 7,
    date: '2024-02-10T11:00:00',
    date_gmt: '2024-02-10T10:00:00',
    guid: { rendered: 'https://wp.example/?p=7' },
    link: 'https://wp.example/2024/02/harbour-plan/',
    title: { rendered: 'Harbour plan &#8216;ready by May&#8217;' },
    content: {
      rendered: `<p>${PARAGRAPHS[0]}</p>\n<p>${PARAGRAPHS[1]}</p>\n<p>Contact us: desk@wp.example</p>`,
      protected: false,
    },
    excerpt: { rendered: '<p>The old ferry terminal will close [&hellip;]</p>', protected: false },
    _embedded: {
      author: [{ name: 'Sam Reed' }],
      'wp:featuredmedia': [{ source_url: 'https://wp.example/wp-content/uploads/harbour.jpg' }],
      'wp:term': [
        [
          { taxonomy: 'category', name: 'Local' },
          { taxonomy: 'category', name: 'Uncategorized' },
        ],
        [{ taxonomy: 'post_tag', name: 'Ferries' }],
      ],
    },
  },
  {
    id: 8,
    date_gmt: '2024-02-11T09:30:00',
    link: 'https://wp.example/2024/02/members-only/',
    title: { rendered: 'Members only' },
    content: { rendered: '', protected: true },
    excerpt: { rendered: '<p>A short public excerpt.</p>', protected: false },
  },
];

const jsonFeed = (base: string) =>
  JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Harbour News',
    items: [
      { id: '1', url: `${base}/article.html`, title: 'Ferry terminal to close', content_text: PARAGRAPHS[0] },
    ],
  });

const excerptFeed = (base: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour</title><link>${base}/</link>
<item><title>Ferry terminal to close</title><link>${base}/article.html</link>
<description>The old ferry terminal will close…</description><category>Transport</category></item>
<item><title>Missing page</title><link>${base}/gone</link><description>Withdrawn story…</description></item>
</channel></rss>`;

const seen: Array<{ path: string; query: URLSearchParams; accept?: string }> = [];
const hanging: ServerResponse[] = [];
let server: Server;
let base = '';

interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

const send = (
  status: number,
  type: string,
  body: string | Buffer,
  headers?: Record<string, string>,
): Reply => ({
  status,
  type,
  body,
  headers,
});

/** The fixture site; null means "never answer". */
function reply(path: string): Reply | null {
  switch (path) {
    case '/article.html':
      return send(200, 'text/html; charset=utf-8', articlePage('/article.html'));
    case '/moved':
      return send(301, 'text/html', '', { location: '/article.html' });
    case '/loop':
      return send(302, 'text/html', '', { location: '/loop' });
    case '/gone':
      return send(410, 'text/html', '<h1>Gone</h1>');
    case '/missing':
      return send(404, 'text/html', '<h1>Not found</h1>');
    case '/broken':
      return send(503, 'text/plain', 'maintenance');
    case '/wp-json/wp/v2/posts':
    case '/site/wp-json/wp/v2/posts':
      return send(200, 'application/json; charset=UTF-8', JSON.stringify(wpPosts));
    case '/feed.json':
      return send(200, 'application/feed+json', jsonFeed(base));
    case '/excerpts.xml':
      // A wrong content type on purpose: the content decides.
      return send(200, 'text/plain', excerptFeed(base));
    case '/latin1.xml':
      return send(
        200,
        'application/rss+xml; charset=ISO-8859-1',
        iconv.encode(
          `<rss version="2.0"><channel><item><title>Eleição em São Paulo</title><link>${base}/a</link></item></channel></rss>`,
          'latin1',
        ),
      );
    case '/story.txt':
      return send(
        200,
        'text/plain; charset=utf-8',
        `Ferry terminal to close\n\n${PARAGRAPHS.join('\n\n')}\n\nShare on Facebook\n`,
      );
    case '/page-as-binary':
      return send(200, 'application/octet-stream', articlePage('/page-as-binary'));
    case '/unknown.json':
      return send(200, 'application/json', '{"hello":"world"}');
    case '/big':
      return send(200, 'text/plain', 'x'.repeat(50_000));
    case '/hang':
      return null;
    default:
      return send(404, 'text/plain', 'no route');
  }
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const u = new URL(req.url ?? '/', base);
  seen.push({ path: u.pathname, query: u.searchParams, accept: req.headers.accept });
  const r = reply(u.pathname);
  if (!r) {
    hanging.push(res);
    return;
  }
  res.writeHead(r.status, { 'content-type': r.type, ...r.headers });
  res.end(r.body);
}

beforeAll(async () => {
  // The local servers are let through the fetch policy's allow-list, as an operator would.
  vi.stubEnv('CRIER_FETCH_ALLOW', '127.0.0.1');
  server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const r of hanging) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error('expected a SourceError');
}

describe('readSource over HTTP', () => {
  it('reads an article page, following redirects to the final URL', async () => {
    const [a] = await readSource(`${base}/moved`);
    expect(a!.text).toBe(PARAGRAPHS.join('\n\n'));
    expect(a!.url).toBe(`${base}/article.html`);
    expect(a!.image).toBe(`${base}/img/ferry.jpg`);
    expect(a!.tags).toEqual(['Harbour']);
    expect(a!.source).toBe(`${base}/moved`);
  });

  it('keeps the HTTP status on the error so 404/410 read as withdrawn', async () => {
    const gone = await failure(readSource(`${base}/gone`));
    expect(gone).toMatchObject({ code: 'http', status: 410, withdrawn: true, source: `${base}/gone` });
    expect(gone.message).toBe(`${base}/gone: HTTP 410 gone (withdrawn)`);
    const missing = await failure(readSource(`${base}/missing`));
    expect(missing).toMatchObject({ code: 'http', status: 404, withdrawn: true });
    const broken = await failure(readSource(`${base}/broken`));
    expect(broken).toMatchObject({ code: 'http', status: 503, withdrawn: false });
  });

  it('stops redirect loops, slow servers and oversized bodies with a coded SourceError', async () => {
    expect(await failure(readSource(`${base}/loop`))).toMatchObject({ code: 'http' });
    expect(await failure(readSource(`${base}/hang`, { timeoutMs: 300 }))).toMatchObject({ code: 'timeout' });
    expect(await failure(readSource(`${base}/big`, { maxBytes: 1000 }))).toMatchObject({ code: 'too-large' });
    expect(await failure(readSource('http://127.0.0.1:1/nothing', { timeoutMs: 2000 }))).toMatchObject({
      code: 'network',
    });
  });

  it('reads the WordPress REST API, asking for embedded media and terms', async () => {
    const articles = await readSource(`${base}/wp-json/wp/v2/posts`);
    const req = seen.findLast((r) => r.path === '/wp-json/wp/v2/posts')!;
    expect(req.query.get('_embed')).toBe('1');
    expect(req.query.get('per_page')).toBe('20');
    expect(articles).toHaveLength(2);
    expect(articles[0]).toMatchObject({
      url: 'https://wp.example/2024/02/harbour-plan/',
      title: 'Harbour plan ‘ready by May’',
      text: `${PARAGRAPHS[0]}\n\n${PARAGRAPHS[1]}`,
      description: 'The old ferry terminal will close…',
      image: 'https://wp.example/wp-content/uploads/harbour.jpg',
      tags: ['Ferries', 'Local'],
      publishedAt: '2024-02-10T10:00:00.000Z',
      author: 'Sam Reed',
      // Known by its GUID too, should an editor change the slug.
      aliases: ['guid:wp.example:https://wp.example/?p=7'],
    });
    // Password-protected content: the public excerpt is all there is.
    expect(articles[1]).toMatchObject({
      text: 'A short public excerpt.',
      publishedAt: '2024-02-11T09:30:00.000Z',
    });
  });

  it("reads a site URL given kind 'wordpress'", async () => {
    expect(wordpressPostsUrl('https://news.example/site/')).toBe(
      'https://news.example/site/wp-json/wp/v2/posts?per_page=20&_embed=1',
    );
    const articles = await readSource(`${base}/site`, { kind: 'wordpress' });
    expect(articles.map((a) => a.url)).toEqual(wpPosts.map((p) => p.link));
  });

  it('reads a JSON Feed and a Latin-1 feed declared only in the HTTP header', async () => {
    const [j] = await readSource(`${base}/feed.json`);
    expect(j).toMatchObject({
      title: 'Ferry terminal to close',
      text: PARAGRAPHS[0],
      url: `${base}/article.html`,
      key: canonicalKey(`${base}/article.html`),
    });
    const [l] = await readSource(`${base}/latin1.xml`);
    expect(l!.title).toBe('Eleição em São Paulo');
  });

  it('fetchFullText completes excerpt-only items from their pages and keeps unreachable ones', async () => {
    const plain = await readSource(`${base}/excerpts.xml`);
    expect(plain[0]!.text).toBe('The old ferry terminal will close…');
    const full = await readSource(`${base}/excerpts.xml`, { fetchFullText: true });
    expect(full[0]).toMatchObject({
      key: plain[0]!.key,
      title: 'Ferry terminal to close',
      text: PARAGRAPHS.join('\n\n'),
      tags: ['Transport'],
      image: `${base}/img/ferry.jpg`,
    });
    expect(full[1]).toEqual(plain[1]);
  });

  it('sniffs the kind from the content, not the content type', async () => {
    const [page] = await readSource(`${base}/page-as-binary`);
    expect(page!.text).toBe(PARAGRAPHS.join('\n\n'));
    const [text] = await readSource(`${base}/story.txt`);
    expect(text).toMatchObject({ title: 'Ferry terminal to close', url: `${base}/story.txt` });
    expect(text!.text).toBe(PARAGRAPHS.join('\n\n'));
    const [explicit] = await readSource(`${base}/story.txt`, {
      kind: 'text',
      url: 'https://harbour.example/ferry',
    });
    expect(explicit!.url).toBe('https://harbour.example/ferry');
    expect(await failure(readSource(`${base}/unknown.json`))).toMatchObject({ code: 'unparseable' });
  });
});

describe('sniffKind', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', 'feed'],
    ['\n  <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'feed'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', 'feed'],
    ['{"version":"https://jsonfeed.org/version/1","items":[]}', 'feed'],
    ['[{"id":1,"link":"https://x","title":{"rendered":"a"}}]', 'wordpress'],
    ['<!DOCTYPE html><html><body>x</body></html>', 'html'],
    ['<html lang="en"><head></head></html>', 'html'],
    ['<div><p>fragment</p></div>', 'html'],
    ['Headline\n\nBody text.', 'text'],
    ['[Update] Headline in brackets\n\nBody.', 'text'],
    ['{"hello":"world"}', 'json'],
  ])('%j → %s', (content, kind) => {
    expect(sniffKind(content)).toBe(kind);
  });
});
