import type { CrierConfig } from '../config/schema.js';
import { type FetchPolicy, fetchPolicy } from '../fetch/policy.js';
import { type Article, makeArticle } from './article.js';
import { decodeBytes } from './decode.js';
import { SourceError } from './errors.js';
import { type FeedEntry, feedEntries } from './feed.js';
import { articleFromHtml } from './html.js';
import { type Loaded, loadLocation } from './load.js';
import { isHttpUrl, locationUrl } from './location.js';
import { sniffKind } from './sniff.js';
import { articleFromText } from './text.js';
import { articlesFromWordPress, isWordPressPostsUrl, wordpressPostsUrl } from './wordpress.js';

export { cleanArticleText } from './clean.js';
export { isSourceError, SourceError, type SourceErrorCode } from './errors.js';
export { articlesFromFeed } from './feed.js';
export { articleFromHtml } from './html.js';
export { articleFromText } from './text.js';
export { articlesFromWordPress } from './wordpress.js';

export type SourceKind = 'auto' | 'text' | 'html' | 'feed' | 'wordpress';

export interface ReadOptions {
  /** What the location holds; 'auto' (default) decides from the content. */
  kind?: SourceKind;
  /** Article link for sources that carry none (plain text). */
  url?: string;
  /** Base for relative file paths (default: the working directory). */
  baseDir?: string;
  /** Per-request timeout in ms (default 15 000). */
  timeoutMs?: number;
  /** Largest document accepted in bytes (default 5 MB). */
  maxBytes?: number;
  /** Feeds: fetch and extract each item's page when the feed carries only an excerpt. */
  fetchFullText?: boolean;
  /** Address rules of every http(s) read (default: the environment's CRIER_FETCH_ALLOW only). */
  policy?: FetchPolicy;
}

/** The read options that come from the configuration and the environment (fetch policy, limits). */
export function intakeOptions(
  config: Pick<CrierConfig, 'fetch'>,
  env: Record<string, string | undefined> = process.env,
): Pick<ReadOptions, 'policy' | 'maxBytes'> {
  return { policy: fetchPolicy({ allow: config.fetch.allow, env }), maxBytes: config.fetch.maxBytes };
}

const ACCEPT: Record<SourceKind, string> = {
  auto: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, text/html;q=0.9, */*;q=0.8',
  text: 'text/plain, */*;q=0.8',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8',
  wordpress: 'application/json, */*;q=0.8',
};

/** Pages fetched at once for `fetchFullText`. */
const FULL_TEXT_CONCURRENCY = 4;

/**
 * Reads every article at a location: a file path (relative to `baseDir`) or an http(s) URL.
 *
 * - text: the plain-text article shape (headline, body, furniture dropped); its URL is `opts.url`, else
 *   the file's `file:` URL (a stable identity, not a link to share: publishing needs a real URL).
 * - html: an article page, extracted with Readability; its URL is `opts.url`, else the page's canonical URL,
 *   else the address it was read from.
 * - feed: RSS / Atom / RDF / JSON Feed items (optionally completed from their pages).
 * - wordpress: the REST API (`…/wp-json/wp/v2/posts`, or a site URL with kind 'wordpress').
 *
 * Throws SourceError (code + message naming the source; HTTP errors keep `status`, 404/410 = withdrawn).
 */
export async function readSource(location: string, opts: ReadOptions = {}): Promise<Article[]> {
  const kind = opts.kind ?? 'auto';
  let target = location.trim();
  if (isHttpUrl(target) && (kind === 'wordpress' || (kind === 'auto' && isWordPressPostsUrl(target)))) {
    target = wordpressPostsUrl(target);
  }
  const loaded = await loadLocation(target, {
    baseDir: opts.baseDir,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
    accept: ACCEPT[kind],
    policy: opts.policy,
  });
  const text = decodeBytes(loaded.bytes, { contentType: loaded.contentType });
  if (!text.trim()) throw new SourceError(target, 'empty', 'the document is empty');
  if (looksBinary(text)) throw new SourceError(target, 'unparseable', 'not a text document (binary content)');
  const docUrl = loaded.finalUrl ?? locationUrl(target, opts.baseDir);

  const resolved = kind === 'auto' ? sniffKind(text, loaded.contentType) : kind;
  switch (resolved) {
    case 'text':
      return [
        articleFromText(text, { url: opts.url ?? (isHttpUrl(docUrl) ? docUrl : undefined), source: target }),
      ];
    case 'html':
      // A saved page is read as the page at the link the operator gave, when there is one.
      return [
        articleFromHtml(text, {
          url: opts.url && !isHttpUrl(docUrl) ? opts.url : docUrl,
          link: opts.url,
          source: target,
        }),
      ];
    case 'wordpress':
      return articlesFromWordPress(text, { source: target, baseUrl: docUrl });
    case 'feed': {
      const entries = feedEntries(text, { source: target, baseUrl: isHttpUrl(docUrl) ? docUrl : undefined });
      return opts.fetchFullText ? completeFromPages(entries, opts) : entries.map((e) => e.article);
    }
    case 'json':
      throw new SourceError(
        target,
        'unparseable',
        'JSON that is neither a JSON Feed nor a WordPress posts list',
      );
  }
}

/** Replaces excerpt-only feed items by their page's full text (keeping the feed's identity). */
async function completeFromPages(entries: FeedEntry[], opts: ReadOptions): Promise<Article[]> {
  const out: Article[] = entries.map((e) => e.article);
  const todo = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.excerptOnly && isHttpUrl(e.article.url));
  const worker = async () => {
    for (let next = todo.shift(); next; next = todo.shift()) {
      out[next.i] = await withPageText(next.e.article, opts);
    }
  };
  await Promise.all(Array.from({ length: FULL_TEXT_CONCURRENCY }, worker));
  return out;
}

async function withPageText(item: Article, opts: ReadOptions): Promise<Article> {
  let loaded: Loaded;
  let page: Article;
  try {
    loaded = await loadLocation(item.url, {
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.maxBytes,
      accept: ACCEPT.html,
      policy: opts.policy,
    });
    page = articleFromHtml(decodeBytes(loaded.bytes, { contentType: loaded.contentType }), {
      url: loaded.finalUrl ?? item.url,
      source: item.url,
    });
  } catch (e) {
    // The feed's own excerpt still makes an article; one unreachable page must not lose the feed.
    if (e instanceof SourceError) return item;
    throw e;
  }
  return makeArticle({
    ...item,
    // The key stays the feed's, so an item reads the same whether or not its page could be fetched.
    key: item.key,
    url: isHttpUrl(page.url) ? page.url : item.url,
    text: page.text.length > item.text.length ? page.text : item.text,
    description: item.description ?? page.description,
    image: item.image ?? page.image,
    tags: item.tags.length ? item.tags : page.tags,
    publishedAt: item.publishedAt ?? page.publishedAt,
    author: item.author ?? page.author,
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
