/**
 * Reading sources against the parse alone, on the corpus:
 * - an RSS/Atom feed (articlesFromFeed on the bytes: decode, parse, item HTML to paragraphs, identities)
 *   against parsing the same XML with fast-xml-parser (feedsmith's parser) and nothing else;
 * - an article page (articleFromHtml: jsdom, Readability, metadata, furniture and contacts removed) against
 *   the bare jsdom parse of the same HTML.
 * Per document: the median of `runs` timings after one warm-up; the ratio is of the summed medians.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { JSDOM, VirtualConsole } from 'jsdom';
import { articleFromHtml } from '../../src/articles/html.js';
import { articlesFromFeed } from '../../src/articles/read.js';
import { median } from './proc.js';

export interface ParseResult {
  documents: number;
  bytes: number;
  crierMs: number;
  baselineMs: number;
}

/**
 * jsdom windows are freed only after the event loop turns: between two documents the loop gets a turn (a
 * synchronous loop over hundreds of pages runs out of heap).
 */
async function timeEach<T>(docs: T[], runs: number, fn: (d: T) => unknown): Promise<number> {
  let sum = 0;
  for (const d of docs) {
    await new Promise((r) => setTimeout(r, 5));
    fn(d);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn(d);
      times.push(performance.now() - t0);
    }
    sum += median(times);
  }
  return sum;
}

export async function benchFeeds(corpusRoot: string, runs: number): Promise<ParseResult> {
  const dir = join(corpusRoot, 'feeds');
  const feeds = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ file: f, bytes: readFileSync(join(dir, f)) }));
  const xml = new XMLParser({ ignoreAttributes: false });
  const texts = new Map(feeds.map((f) => [f.file, f.bytes.toString('utf8')]));
  return {
    documents: feeds.length,
    bytes: feeds.reduce((s, f) => s + f.bytes.length, 0),
    crierMs: await timeEach(feeds, runs, (f) => articlesFromFeed(f.bytes, { source: f.file })),
    baselineMs: await timeEach(feeds, runs, (f) => xml.parse(texts.get(f.file)!)),
  };
}

export async function benchPages(corpusRoot: string, runs: number, every: number): Promise<ParseResult> {
  const dir = join(corpusRoot, 'article-html-readability');
  const pages = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .filter((_, i) => i % every === 0)
    .map((id) => ({ id, html: readFileSync(join(dir, id, 'source.html'), 'utf8') }));
  const url = 'https://example.com/bench/page.html';
  const quiet = new VirtualConsole();
  return {
    documents: pages.length,
    bytes: pages.reduce((s, p) => s + Buffer.byteLength(p.html), 0),
    crierMs: await timeEach(pages, runs, (p) => {
      try {
        return articleFromHtml(p.html, { url, source: p.id });
      } catch {
        return null; // a page with no article costs its reading all the same
      }
    }),
    baselineMs: await timeEach(
      pages,
      runs,
      (p) => new JSDOM(p.html, { url, virtualConsole: quiet }).window.document,
    ),
  };
}
