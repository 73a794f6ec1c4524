import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { readSource } from '../../src/articles/read.js';
import { fetchPolicy } from '../../src/fetch/policy.js';
import { answer, HostileServer, redirect } from '../helpers/hostile-server.js';

/** Full text for excerpt feeds: per source auto | always | never, through the fetch policy, with fallbacks. */

const BODY = [
  'The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season, after forty years of service.',
  'A new terminal, built two kilometres to the east, will take over all routes from September and add a night service for commuters and freight.',
  'Local shop owners said they feared losing trade, while commuters welcomed the promise of shorter queues and more sailings.',
  'The authority said the new terminal came in fifteen per cent over budget, and that the extra cost would be met by the national government.',
];
const page = (title: string, paras: string[]) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>${paras
    .map((p) => `<p>${p}</p>`)
    .join('')}</article></body></html>`;

const site = new HostileServer({
  '/ferry': answer(200, { 'content-type': 'text/html' }, page('Ferry terminal to close', BODY)),
  '/moved-ferry': redirect('/ferry', 301),
  '/gone': answer(404, { 'content-type': 'text/html' }, 'not found'),
  '/consent': answer(
    200,
    { 'content-type': 'text/html' },
    page('Before you continue', [
      'We and our partners use cookies and data to deliver and maintain our services, measure audience engagement and statistics, and develop new services.',
      'If you choose to accept all, we will also use cookies and data to develop and improve new services and to deliver and measure the effectiveness of advertising.',
    ]),
  ),
  '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
  '/long': answer(200, { 'content-type': 'text/html' }, page('Long story', [...BODY, ...BODY, ...BODY])),
  '/other': answer(
    200,
    { 'content-type': 'text/html' },
    page('Cup final', [
      'United won the cup final on Saturday with two late goals from their captain, who had been injured for most of the season.',
      'The manager praised the crowd and said the win belonged to the supporters who had travelled across the country to see the match.',
      'Fans celebrated in the city centre until the early hours, and the team will parade the trophy through the streets on Monday.',
    ]),
  ),
});

const feed = (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><link>${base}/</link>
<item><title>Ferry terminal to close</title><link>${base}/moved-ferry</link><description>The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season… Continue reading</description></item>
<item><title>Gone story</title><link>${base}/gone</link><description>The harbour authority confirmed on Friday that a story was withdrawn from the site by the editors…</description></item>
<item><title>Consent wall</title><link>${base}/consent</link><description>The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season…</description></item>
<item><title>Other page</title><link>${base}/other</link><description>The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season…</description></item>
<item><title>Metadata</title><link>${base}/to-metadata</link><description>The harbour authority confirmed on Friday that the old ferry terminal will close at the end of the summer season…</description></item>
</channel></rss>`;

const allowLocal = fetchPolicy({ allow: ['127.0.0.1'], env: {} });
let feedUrl = '';

beforeAll(async () => {
  await site.start();
  const xml = feed(site.url);
  site.routes['/feed.xml'] = answer(200, { 'content-type': 'application/rss+xml' }, xml);
  feedUrl = `${site.url}/feed.xml`;
});
afterAll(() => site.close());

async function read(opts: Parameters<typeof readSource>[1]) {
  const warnings: string[] = [];
  const articles = await readSource(feedUrl, { policy: allowLocal, ...opts, warn: (m) => warnings.push(m) });
  return { articles, warnings, by: (t: string) => articles.find((a) => a.title === t)! };
}

describe('fullText: auto', () => {
  it('completes an excerpt from its page and keeps the excerpt, with the reason, where the page fails', async () => {
    const { by, warnings } = await read({ fullText: 'auto' });
    expect(by('Ferry terminal to close').text).toBe(BODY.join('\n\n'));
    expect(by('Ferry terminal to close').completedFrom?.page).toBe(`${site.url}/ferry`);
    expect(by('Gone story').text).toMatch(/withdrawn from the site by the editors…$/);
    expect(by('Consent wall').text).toMatch(/^The harbour authority confirmed/);
    expect(by('Metadata').text).toMatch(/^The harbour authority confirmed/);
    expect(by('Other page').text).toMatch(/^The harbour authority confirmed/);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /full text of "Gone story" not used \(.*HTTP 404.*\): the feed's excerpt is kept/,
        ),
        expect.stringMatching(/full text of "Consent wall" not used \(.*no article text found in the page/),
        expect.stringMatching(/full text of "Other page" not used \(.*does not match the feed's excerpt\)/),
        expect.stringMatching(
          /full text of "Metadata" not used \(.*169\.254\.169\.254 \(link-local.*fetch\.allow/,
        ),
      ]),
    );
  });

  it('does not fetch a page again while the feed item is unchanged', async () => {
    const first = await read({ fullText: 'auto' });
    const stored = new Map(first.articles.map((a) => [a.id, a]));
    const hits = site.hits.length;
    const again = await read({ fullText: 'auto', known: async (a: Article) => stored.get(a.id) });
    expect(again.by('Ferry terminal to close').text).toBe(BODY.join('\n\n'));
    // Only the feed and the pages whose items were never completed are asked for.
    expect(site.hits.slice(hits)).not.toContain('/moved-ferry');
  });
});

describe('fullText: never and always', () => {
  it('never: the feed as it is', async () => {
    const hits = site.hits.length;
    const { by } = await read({ fullText: 'never' });
    // The feed's excerpt, its read-more link dropped (a follower never sees "Continue reading").
    expect(by('Ferry terminal to close').text).toMatch(/end of the summer season…$/);
    expect(by('Ferry terminal to close').text).not.toMatch(/Continue reading/);
    expect(site.hits.slice(hits)).toEqual(['/feed.xml']);
  });

  it('always: a long item is read from its page too', async () => {
    const long = `<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>
<item><title>Long story</title><link>${site.url}/long</link><description>${BODY.join(' ')} ${BODY.join(' ')}</description></item></channel></rss>`;
    site.routes['/long.xml'] = answer(200, { 'content-type': 'application/rss+xml' }, long);
    const hits = site.hits.length;
    const auto = await readSource(`${site.url}/long.xml`, { policy: allowLocal, fullText: 'auto' });
    expect(site.hits.slice(hits)).toEqual(['/long.xml']);
    const always = await readSource(`${site.url}/long.xml`, { policy: allowLocal, fullText: 'always' });
    expect(site.hits.slice(hits)).toContain('/long');
    expect(always[0]!.completedFrom).toBeDefined();
    expect(auto[0]!.completedFrom).toBeUndefined();
  });
});
