import {
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type MediaNs,
  parseFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { type Article, canonicalKey, guidAlias, makeArticle } from './article.js';
import { cleanArticle, firstSentence, graphemePrefix } from './clean.js';
import { isoDate } from './dates.js';
import { decodeBytes } from './decode.js';
import { SourceError } from './errors.js';
import { checkJsonFeed } from './feed-json.js';
import { checkXmlFeed } from './feed-xml.js';
import { uniqueTags } from './html-meta.js';
import { htmlFragmentToText, htmlToInlineText } from './html-text.js';
import { absoluteUrl, isHttpUrl, locationUrl } from './location.js';
import { shapeProblem } from './page-shape.js';
import { isExcerpt } from './substance.js';

export interface FeedOptions {
  /** Where the feed was read from (file path or URL); names the articles' origin and errors. */
  source: string;
  /** The HTTP Content-Type, for its charset (bytes input only). */
  contentType?: string;
  /** Base for relative item links; default: the feed's own link, else the source. */
  baseUrl?: string;
  /** Items read at most (the first ones: feeds list the newest first); the rest is reported. */
  maxItems?: number;
  /** Told about items skipped and parts of the feed not read (one line each). */
  warn?: (message: string) => void;
}

/** One feed item, format-neutral, before it becomes an Article. */
interface FeedItem {
  title?: string;
  link?: string;
  guid?: string;
  published?: string;
  /** Full content (content:encoded, Atom content, JSON Feed content_*), HTML. */
  contentHtml?: string;
  /** Summary (RSS description, Atom summary, JSON Feed summary), HTML. */
  summaryHtml?: string;
  tags: string[];
  image?: string;
  author?: string;
}

export interface FeedEntry {
  article: Article;
  /** The feed carries only an excerpt of this item (see `isExcerpt`): its page holds the full text. */
  excerptOnly: boolean;
}

const DESCRIPTION_CHARS = 300;

type Media = MediaNs.ItemOrFeed | undefined;

function mediaImage(media: Media): string | undefined {
  if (!media) return undefined;
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((g) => g.contents ?? [])];
  const image = contents.find(
    (c) =>
      c.url &&
      (c.medium === 'image' ||
        c.type?.startsWith('image/') ||
        (!c.medium && !c.type && /\.(?:jpe?g|png|webp|gif)(?:\?|$)/i.test(c.url))),
  );
  return image?.url ?? media.thumbnails?.[0]?.url ?? contents.flatMap((c) => c.thumbnails ?? [])[0]?.url;
}

/** The first real picture in content HTML (tracking pixels of 1×1 are skipped). */
function firstContentImage(html: string | undefined): string | undefined {
  if (!html) return undefined;
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) {
    const tag = m[0];
    if (/\b(?:width|height)\s*=\s*["']?1["'\s/>]/i.test(tag)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (src && !src.startsWith('data:')) return src.replace(/&amp;/g, '&');
  }
  return undefined;
}

function rssItem(i: RssFeed.Item<string>): FeedItem {
  const guid = i.guid?.value;
  const permalink = guid && i.guid?.isPermaLink !== false && isHttpUrl(guid) ? guid : undefined;
  const atomLink = i.atom?.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
  return {
    title: i.title,
    link: i.link ?? permalink ?? atomLink,
    guid,
    published: i.pubDate ?? i.dc?.dates?.[0] ?? i.atom?.published ?? i.atom?.updated,
    contentHtml: i.content?.encoded,
    summaryHtml: i.description,
    tags: [...(i.categories ?? []).map((c) => c.name ?? ''), ...(i.dc?.subjects ?? [])],
    image:
      mediaImage(i.media) ??
      i.enclosures?.find(
        (e) => e.type?.startsWith('image/') || /\.(?:jpe?g|png|webp|gif)(?:\?|$)/i.test(e.url ?? ''),
      )?.url ??
      i.itunes?.image,
    author: i.authors?.[0]?.name ?? i.dc?.creators?.[0] ?? i.authors?.[0]?.email,
  };
}

function atomText(t: AtomFeed.Text | string | undefined): string | undefined {
  return typeof t === 'string' ? t : t?.value;
}

function atomEntry(e: AtomFeed.Entry<string>): FeedItem {
  const links = e.links ?? [];
  return {
    title: atomText(e.title),
    link: (links.find((l) => !l.rel || l.rel === 'alternate') ?? links.find((l) => l.rel !== 'self'))?.href,
    guid: e.id,
    published: e.published ?? e.updated ?? e.dc?.dates?.[0],
    contentHtml: e.content?.src ? undefined : e.content?.value,
    summaryHtml: atomText(e.summary),
    tags: (e.categories ?? []).map((c) => c.label ?? c.term ?? ''),
    image:
      mediaImage(e.media) ?? links.find((l) => l.rel === 'enclosure' && l.type?.startsWith('image/'))?.href,
    author: e.authors?.[0]?.name ?? e.dc?.creators?.[0],
  };
}

function rdfItem(i: RdfFeed.Item<string>): FeedItem {
  return {
    title: i.title,
    link: i.link ?? i.rdf?.about,
    guid: i.rdf?.about,
    published: i.dc?.dates?.[0],
    contentHtml: i.content?.encoded,
    summaryHtml: i.description,
    tags: i.dc?.subjects ?? [],
    image: mediaImage(i.media),
    author: i.dc?.creators?.[0],
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function jsonItem(i: JsonFeed.Item<string>): FeedItem {
  const text = i.content_text
    ? `<p>${escapeHtml(i.content_text).replace(/\n\s*\n/g, '</p><p>')}</p>`
    : undefined;
  return {
    title: i.title,
    link: i.url ?? i.external_url,
    guid: i.id,
    published: i.date_published ?? i.date_modified,
    contentHtml: i.content_html ?? text,
    summaryHtml: i.summary ? escapeHtml(i.summary) : undefined,
    tags: i.tags ?? [],
    image: i.image ?? i.banner_image,
    author: i.authors?.[0]?.name,
  };
}

function feedLink(parsed: AnyFeed<string>): string | undefined {
  switch (parsed.format) {
    case 'rss':
    case 'rdf':
      return parsed.feed.link;
    case 'atom': {
      // The site's page, else the feed's own address (rel="self"): a file copy of a feed knows no other.
      const links = parsed.feed.links ?? [];
      return (links.find((l) => !l.rel || l.rel === 'alternate') ?? links.find((l) => l.rel === 'self'))
        ?.href;
    }
    case 'json':
      return parsed.feed.home_page_url;
  }
}

function itemsOf(parsed: AnyFeed<string>): FeedItem[] {
  switch (parsed.format) {
    case 'rss':
      return (parsed.feed.items ?? []).map(rssItem);
    case 'atom':
      return (parsed.feed.entries ?? []).map(atomEntry);
    case 'rdf':
      return (parsed.feed.items ?? []).map(rdfItem);
    case 'json':
      return (parsed.feed.items ?? []).map(jsonItem);
  }
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = graphemePrefix(s, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** A link with a scheme other than http(s) (javascript:, data:, file:, mailto:, ...). */
function foreignScheme(link: string | undefined): string | undefined {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(link ?? '')?.[1]?.toLowerCase();
  return scheme && scheme !== 'http' && scheme !== 'https' ? scheme : undefined;
}

function toEntry(
  item: FeedItem,
  base: string,
  source: string,
  warn: (message: string) => void,
): FeedEntry | null {
  const scheme = foreignScheme(item.link);
  if (scheme) {
    const what = item.title ? `"${htmlToInlineText(item.title).slice(0, 80)}"` : 'an item';
    warn(`${source}: ${what} skipped: its link is a ${scheme}: address, not http(s)`);
    return null;
  }
  const tooComplex = shapeProblem(item.contentHtml) ?? shapeProblem(item.summaryHtml);
  if (tooComplex) {
    const what = item.title ? `"${item.title.slice(0, 80)}"` : 'an item';
    warn(`${source}: ${what} skipped: its content is ${tooComplex}`);
    return null;
  }
  const title = item.title ? htmlToInlineText(item.title) : '';
  const content = item.contentHtml
    ? cleanArticle(htmlFragmentToText(item.contentHtml), { title })
    : undefined;
  const summary = item.summaryHtml
    ? cleanArticle(htmlFragmentToText(item.summaryHtml), { title })
    : undefined;
  const contentText = content?.text ?? '';
  const summaryText = summary?.text ?? '';
  const text = contentText || summaryText || title;
  if (!text) return null;
  const link = absoluteUrl(item.link, base);
  const url = link && !link.startsWith('file:') ? link : '';
  const guid = item.guid?.trim();
  const description = summaryText && summaryText !== contentText ? summaryText : contentText;
  return {
    article: makeArticle({
      // Identity: the canonical URL, else the GUID (makeArticle falls back to source + title).
      key: url ? canonicalKey(url) : guid || undefined,
      url,
      title: title || firstSentence(text),
      text,
      description: description ? clip(description.split('\n\n')[0]!, DESCRIPTION_CHARS) : undefined,
      image: absoluteUrl(item.image ?? firstContentImage(item.contentHtml ?? item.summaryHtml), base),
      tags: uniqueTags(item.tags),
      publishedAt: isoDate(item.published),
      author: item.author?.trim() || undefined,
      source,
      ...(url && guid && canonicalKey(guid) !== canonicalKey(url) ? { aliases: [guidAlias(guid, url)] } : {}),
    }),
    // A read-more link or "[…]" cut from the end still marks an excerpt.
    excerptOnly: isExcerpt(text) || (contentText ? content : summary)?.truncated === true,
  };
}

function parse(text: string, source: string): AnyFeed<string> {
  try {
    return parseFeed(text);
  } catch (e) {
    if (e instanceof Error && e.name === 'DetectError') {
      throw new SourceError(source, 'unparseable', 'not an RSS, Atom, RDF or JSON feed', { cause: e });
    }
    // feedsmith wraps the XML parser's error; its text (line and column) helps whoever fixes the feed.
    const inner = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new SourceError(source, 'unparseable', `malformed feed${inner}`, { cause: e });
  }
}

/** Items of a feed with a flag telling which carry only an excerpt. */
export function feedEntries(input: Uint8Array | string, opts: FeedOptions): FeedEntry[] {
  const warn = opts.warn ?? (() => {});
  const raw = (typeof input === 'string' ? input : decodeBytes(input, { contentType: opts.contentType }))
    .replace(/^\uFEFF/, '')
    .trimStart();
  let text = raw;
  let origLinks: Array<string | undefined> = [];
  let itemBases: string[][] = [];
  if (raw.startsWith('{')) text = checkJsonFeed(raw, opts.source, warn);
  else ({ text, origLinks, itemBases } = checkXmlFeed(raw, opts.source, warn));
  const parsed = parse(text, opts.source);
  const sourceUrl = locationUrl(opts.source);
  const base = opts.baseUrl ?? absoluteUrl(feedLink(parsed), sourceUrl) ?? sourceUrl;
  let items = itemsOf(parsed);
  // Relative links resolve against the xml:base values in force on the item (Atom), each against the last.
  const bases =
    itemBases.length === items.length
      ? itemBases.map((chain) => chain.reduce((b, x) => absoluteUrl(x, b) ?? b, base))
      : items.map(() => base);
  // An original link (feedburner:origLink, pheedo:origLink) wins over the redirector the feed links to.
  if (parsed.format !== 'json' && origLinks.length === items.length) {
    items = items.map((item, i) => {
      const orig = origLinks[i];
      return orig && /^https?:\/\//i.test(orig) ? { ...item, link: orig } : item;
    });
  }
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  if (items.length > max) {
    warn(
      `${opts.source}: the feed lists ${items.length} items; only the first ${max} are read (feeds.maxItems)`,
    );
    items = items.slice(0, max);
  }
  let foreign = 0;
  const entries = items
    .map((i, n) => {
      if (foreignScheme(i.link)) foreign += 1;
      return toEntry(i, bases[n] ?? base, opts.source, warn);
    })
    .filter((e): e is FeedEntry => e !== null);
  if (entries.length === 0 && foreign > 0)
    throw new SourceError(
      opts.source,
      'empty',
      `none of the feed's ${items.length} items has a web (http or https) link: nothing to post`,
    );
  // Markup with items that yield nothing usable is a broken feed, not an empty one.
  if (entries.length === 0 && (items.length > 0 || /<(?:item|entry)[\s>]/i.test(text))) {
    throw new SourceError(
      opts.source,
      'unparseable',
      'malformed feed: its items have no title, link or content',
    );
  }
  return entries;
}

/**
 * Articles of an RSS 0.9x/2.0, Atom, RDF or JSON Feed document. Bytes are decoded with the declared
 * charset (see decode.ts). Per item: title, link (absolute), GUID, date, text (content:encoded > content
 * > description/summary, HTML to paragraphs), categories as tags, image (media:content/thumbnail,
 * image enclosure, first content picture), author. Items are keyed by canonical URL, else by GUID.
 * An unparseable feed throws a SourceError naming the source; a feed with no items gives [].
 */
export function articlesFromFeed(input: Uint8Array | string, opts: FeedOptions): Article[] {
  return feedEntries(input, opts).map((e) => e.article);
}
