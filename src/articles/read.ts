import { createHash } from 'node:crypto';
import type { CrierConfig } from '../config/schema.js';
import { lazySegmenter } from '../core/segmenter.js';
import { type FetchPolicy, fetchPolicy } from '../fetch/policy.js';
import { type Article, makeArticle } from './article.js';
import { decodeBytes } from './decode.js';
import { SourceError } from './errors.js';
import { type FeedEntry, feedEntries } from './feed.js';
import { articleFromHtml } from './html.js';
import { withFetchableImages } from './images.js';
import { DEFAULT_MAX_BYTES, type Loaded, loadLocation } from './load.js';
import { isHttpUrl, locationUrl } from './location.js';
import { checkPageShape } from './page-shape.js';
import { sniffKind } from './sniff.js';
import { countWords, tooThin } from './substance.js';
import { articleFromText } from './text.js';
import { articlesFromWordPress, isWordPressPostsUrl, wordpressPostsUrl } from './wordpress.js';

export { cleanArticleText } from './clean.js';
export { isSourceError, SourceError, type SourceErrorCode } from './errors.js';
export { articlesFromFeed } from './feed.js';
export { articleFromHtml } from './html.js';
export { articleFromText } from './text.js';
export { articlesFromWordPress } from './wordpress.js';

export type SourceKind = 'auto' | 'text' | 'html' | 'feed' | 'wordpress';
export type FullTextMode = 'auto' | 'always' | 'never';

export interface ReadOptions {
  /** What the location holds; 'auto' (default) decides from the content. */
  kind?: SourceKind;
  /** Article link for sources that carry none (plain text). */
  url?: string;
  /** Base for relative file paths (default: the working directory). */
  baseDir?: string;
  /** Wall-clock deadline of each read in ms (default 15 000). */
  timeoutMs?: number;
  /** Largest page or document accepted, after decompression (default 5 MB). */
  maxBytes?: number;
  /** Feeds: largest feed document (after decompression) and most items read (default: maxBytes, no limit). */
  feeds?: { maxBytes: number; maxItems: number };
  /**
   * Feeds: complete an item from its page. auto: when the feed carries only an excerpt (see `isExcerpt`);
   * always: every item with a web link; never (default here; configured sources default to auto).
   */
  fullText?: FullTextMode;
  /** @deprecated use `fullText: 'auto'`. */
  fetchFullText?: boolean;
  /**
   * Feeds with full text: the article as it was stored at an earlier read. While the feed's item is the
   * same, its page is not fetched again and the stored text is used.
   */
  known?: (article: Article) => Promise<Article | undefined>;
  /** A page or item with fewer words is reported and not posted (default 0: no minimum). */
  minWords?: number;
  /** Address rules of every http(s) read (default: the environment's CRIER_FETCH_ALLOW only). */
  policy?: FetchPolicy;
  /** Told about what was skipped or not read, one line each (items, full-text fallbacks, limits). */
  warn?: (message: string) => void;
}

/** The read options that come from the configuration and the environment (fetch policy, limits). */
export function intakeOptions(
  config: Pick<CrierConfig, 'fetch' | 'feeds' | 'articles' | 'publishing'>,
  env: Record<string, string | undefined> = process.env,
): Pick<ReadOptions, 'policy' | 'maxBytes' | 'feeds' | 'minWords' | 'timeoutMs'> {
  return {
    policy: fetchPolicy({ allow: config.fetch.allow, env }),
    timeoutMs: config.publishing.requestTimeoutMs,
    maxBytes: config.fetch.maxBytes,
    feeds: config.feeds,
    minWords: config.articles.minWords,
  };
}

const ACCEPT: Record<SourceKind, string> = {
  auto: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, text/html;q=0.9, */*;q=0.8',
  text: 'text/plain, */*;q=0.8',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8',
  wordpress: 'application/json, */*;q=0.8',
};

/** Pages fetched at once to complete excerpts. */
const FULL_TEXT_CONCURRENCY = 4;
/** Pages fetched at most per read of a feed (its newest items); the others keep their excerpt. */
export const FULL_TEXT_MAX_PAGES = 30;
/** Deadline of one page fetched for full text (the source's own deadline when shorter). */
const FULL_TEXT_TIMEOUT_MS = 10_000;

/**
 * Reads every article at a location: a file path (relative to `baseDir`) or an http(s) URL.
 *
 * - text: the plain-text article shape (headline, body, furniture dropped); its URL is `opts.url`, else
 *   the file's `file:` URL (a stable identity, not a link to share: publishing needs a real URL).
 * - html: an article page, extracted with Readability; its URL is `opts.url`, else the page's canonical URL,
 *   else the address it was read from.
 * - feed: RSS / Atom / RDF / JSON Feed items (excerpts completed from their pages per `fullText`).
 * - wordpress: the REST API (`…/wp-json/wp/v2/posts`, or a site URL with kind 'wordpress').
 *
 * Every http(s) read goes through the fetch policy. A page with no real article (fewer than `minWords`)
 * is an `empty` SourceError; such feed items are skipped with a warning.
 * Throws SourceError (code + message naming the source; HTTP errors keep `status`, 404/410 = withdrawn).
 */
export async function readSource(location: string, opts: ReadOptions = {}): Promise<Article[]> {
  const articles = await readArticles(location, opts);
  return withFetchableImages(
    articles,
    opts.policy ?? fetchPolicy(),
    location.trim(),
    opts.warn ?? (() => {}),
  );
}

async function readArticles(location: string, opts: ReadOptions): Promise<Article[]> {
  const kind = opts.kind ?? 'auto';
  const warn = opts.warn ?? (() => {});
  let target = location.trim();
  if (isHttpUrl(target) && (kind === 'wordpress' || (kind === 'auto' && isWordPressPostsUrl(target)))) {
    target = wordpressPostsUrl(target);
  }
  const pageMax = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  // A feed may be larger than a page: read up to the larger cap, then hold anything else to the page cap.
  const readMax =
    opts.feeds && (kind === 'auto' || kind === 'feed') ? Math.max(opts.feeds.maxBytes, pageMax) : pageMax;
  const loaded = await loadLocation(target, {
    baseDir: opts.baseDir,
    timeoutMs: opts.timeoutMs,
    maxBytes: readMax,
    accept: ACCEPT[kind],
    policy: opts.policy,
  });
  const text = decodeBytes(loaded.bytes, { contentType: loaded.contentType });
  if (!text.trim()) throw new SourceError(target, 'empty', 'the document is empty');
  if (looksBinary(text)) throw new SourceError(target, 'unparseable', 'not a text document (binary content)');
  const docUrl = loaded.finalUrl ?? locationUrl(target, opts.baseDir);

  const resolved = kind === 'auto' ? sniffKind(text, loaded.contentType) : kind;
  if (resolved !== 'feed' && loaded.bytes.length > pageMax)
    throw new SourceError(target, 'too-large', `the document is over the ${pageMax}-byte limit`);
  const minWords = opts.minWords ?? 0;
  const substantial = (a: Article) => {
    const why = tooThin(a.text, minWords);
    if (why) throw new SourceError(target, 'empty', why);
    return a;
  };
  switch (resolved) {
    case 'text':
      return [
        substantial(
          articleFromText(text, {
            url: opts.url ?? (isHttpUrl(docUrl) ? docUrl : undefined),
            source: target,
          }),
        ),
      ];
    case 'html':
      checkPageShape(text, target);
      // A saved page is read as the page at the link the operator gave, when there is one.
      return [
        substantial(
          articleFromHtml(text, {
            url: opts.url && !isHttpUrl(docUrl) ? opts.url : docUrl,
            link: opts.url,
            source: target,
          }),
        ),
      ];
    case 'wordpress':
      return keepSubstantial(
        articlesFromWordPress(text, { source: target, baseUrl: docUrl }),
        target,
        minWords,
        warn,
      );
    case 'feed': {
      const entries = feedEntries(text, {
        source: target,
        baseUrl: isHttpUrl(docUrl) ? docUrl : undefined,
        maxItems: opts.feeds?.maxItems,
        warn,
      });
      const mode = opts.fullText ?? (opts.fetchFullText ? 'auto' : 'never');
      const articles =
        mode === 'never' ? entries.map((e) => e.article) : await completeFromPages(entries, mode, opts);
      const kept = keepSubstantial(articles, target, minWords, warn);
      if (kept.length === 0 && articles.length > 0)
        throw new SourceError(
          target,
          'empty',
          `none of the feed's ${articles.length} items has article text (at least ${minWords} words, articles.minWords)`,
        );
      return kept;
    }
    case 'json':
      throw new SourceError(
        target,
        'unparseable',
        'JSON that is neither a JSON Feed nor a WordPress posts list',
      );
  }
}

/** Items with too little text are reported, not posted. */
function keepSubstantial(articles: Article[], source: string, minWords: number, warn: (m: string) => void) {
  return articles.filter((a) => {
    const why = tooThin(a.text, minWords);
    if (why) warn(`${source}: "${a.title.slice(0, 80)}" skipped: ${why}`);
    return !why;
  });
}

function feedDigest(a: Article): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.text, a.url, a.description ?? '']))
    .digest('hex')
    .slice(0, 16);
}

/** Completes excerpt items (or every item, `always`) from their pages, keeping the feed's identity. */
async function completeFromPages(
  entries: FeedEntry[],
  mode: FullTextMode,
  opts: ReadOptions,
): Promise<Article[]> {
  const warn = opts.warn ?? (() => {});
  const out: Article[] = entries.map((e) => e.article);
  const wanted = entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (mode === 'always' || e.excerptOnly) && isHttpUrl(e.article.url));
  const todo = wanted.slice(0, FULL_TEXT_MAX_PAGES);
  if (wanted.length > todo.length)
    warn(
      `${wanted.length - todo.length} item(s) keep the feed's excerpt: at most ${FULL_TEXT_MAX_PAGES} pages are fetched for full text per read`,
    );
  const worker = async () => {
    for (let next = todo.shift(); next; next = todo.shift()) {
      out[next.i] = await withPageText(next.e.article, opts, warn);
    }
  };
  await Promise.all(Array.from({ length: FULL_TEXT_CONCURRENCY }, worker));
  return out;
}

const words = lazySegmenter('und', 'word');

/** Distinct lower-case words of a text (for the page-matches-excerpt check). */
function wordSet(text: string): Set<string> {
  const seg = words();
  const out = new Set<string>();
  for (const s of seg.segment(text.toLowerCase())) if (s.isWordLike) out.add(s.segment);
  return out;
}

/** Why a page's text is not the item's article (a consent wall, a paywall, another page); undefined when it is. */
function pageMismatch(item: Article, page: Article): string | undefined {
  if (countWords(page.text) <= countWords(item.text)) return 'the page has no more text than the feed';
  const excerpt = wordSet(item.text.replace(/(?:…|\.\.\.|\[…]|\[\.\.\.])\s*$/, ''));
  if (excerpt.size < 8) return undefined;
  const pageWords = wordSet(`${page.title} ${page.text}`);
  let shared = 0;
  for (const w of excerpt) if (pageWords.has(w)) shared += 1;
  return shared / excerpt.size < 0.5 ? "the page's text does not match the feed's excerpt" : undefined;
}

async function withPageText(item: Article, opts: ReadOptions, warn: (m: string) => void): Promise<Article> {
  const digest = feedDigest(item);
  const before = await opts.known?.(item);
  if (before?.completedFrom?.feedDigest === digest) return { ...before, source: item.source };
  const fallback = (reason: string) => {
    warn(`full text of "${item.title.slice(0, 80)}" not used (${reason}): the feed's excerpt is kept`);
    return item;
  };
  let loaded: Loaded;
  let page: Article;
  try {
    loaded = await loadLocation(item.url, {
      timeoutMs: Math.min(opts.timeoutMs ?? FULL_TEXT_TIMEOUT_MS, FULL_TEXT_TIMEOUT_MS),
      maxBytes: opts.maxBytes,
      accept: ACCEPT.html,
      policy: opts.policy,
    });
    const html = decodeBytes(loaded.bytes, { contentType: loaded.contentType });
    if (sniffKind(html, loaded.contentType) !== 'html') return fallback(`${item.url} is not a web page`);
    checkPageShape(html, item.url);
    page = articleFromHtml(html, { url: loaded.finalUrl ?? item.url, source: item.url });
  } catch (e) {
    // The feed's own excerpt still makes an article; one unreachable page must not lose the feed.
    if (e instanceof SourceError) return fallback(e.message);
    throw e;
  }
  const mismatch = pageMismatch(item, page);
  if (mismatch) return fallback(`${item.url}: ${mismatch}`);
  return makeArticle({
    ...item,
    // The key stays the feed's, so an item reads the same whether or not its page could be fetched.
    key: item.key,
    url: isHttpUrl(page.url) ? page.url : item.url,
    text: page.text,
    description: item.description ?? page.description,
    image: item.image ?? page.image,
    tags: item.tags.length ? item.tags : page.tags,
    publishedAt: item.publishedAt ?? page.publishedAt,
    author: item.author ?? page.author,
    completedFrom: { page: loaded.finalUrl ?? item.url, feedDigest: digest },
  });
}

/** Text documents hold almost no control characters; binary files are full of them. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x20)) controls += 1;
  }
  return controls > sample.length * 0.02;
}
