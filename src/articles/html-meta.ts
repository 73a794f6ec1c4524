import { isoDate } from './dates.js';
import { absoluteUrl } from './location.js';

/**
 * Page metadata an article page declares about itself: OpenGraph / article:* meta tags, JSON-LD,
 * <link rel=canonical>, <time>, rel=tag links. Read before Readability runs (it rewrites the DOM).
 */
export interface PageMetadata {
  title?: string;
  canonicalUrl?: string;
  description?: string;
  image?: string;
  publishedAt?: string;
  author?: string;
  /** og:site_name / application-name: used to cut "| Site" off titles. */
  siteName?: string;
  tags: string[];
  /** JSON-LD articleBody, when the page carries it: a fallback when extraction finds too little. */
  articleBody?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** meta key (property / name / itemprop, lower-cased, space-separated lists split) → contents in page order. */
function metaIndex(doc: Document): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const m of Array.from(doc.querySelectorAll('meta[content]'))) {
    const content = m.getAttribute('content')?.trim();
    if (!content) continue;
    const keys = [m.getAttribute('property'), m.getAttribute('name'), m.getAttribute('itemprop')]
      .flatMap((k) => (k ?? '').toLowerCase().split(/\s+/))
      .filter(Boolean);
    for (const k of new Set(keys)) index.set(k, [...(index.get(k) ?? []), content]);
  }
  return index;
}

function first(index: Map<string, string[]>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = index.get(k)?.[0];
    if (v) return v;
  }
  return undefined;
}

/** Every JSON-LD node on the page, with @graph and arrays flattened. Broken blocks are skipped. */
function jsonLdNodes(doc: Document): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      out.push(v);
      if (v['@graph'] !== undefined) visit(v['@graph']);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'))) {
    const raw = (s.textContent ?? '').replace(
      /^\s*(?:<!\[CDATA\[|\/\/\s*<!\[CDATA\[)|(?:\/\/\s*)?\]\]>\s*$/g,
      '',
    );
    try {
      visit(JSON.parse(raw) as Json);
    } catch {
      // Hand-written JSON-LD is often invalid; the meta tags still apply.
    }
  }
  return out;
}

const ARTICLE_TYPE = /(?:Article|BlogPosting|Report|NewsArticle|LiveBlogPosting|Posting)$/;

function typesOf(node: JsonObject): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

function text(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (isObject(v)) return text(v.name ?? v.url ?? v['@value']);
  return undefined;
}

function imageUrl(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return imageUrl(v[0]);
  if (isObject(v)) return text(v.url ?? v.contentUrl ?? v['@id']);
  return undefined;
}

/** Names in a JSON-LD value: a comma-separated string, or a list whose items are whole names. */
function names(v: Json | undefined): string[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim());
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' ? [x.trim()] : names(x)));
  if (isObject(v)) return names(v.name);
  return [];
}

/** Pages often double-encode entities in meta content ("Privacy &amp;amp; Technology"). */
function decodeEntities(s: string): string {
  if (!/&(?:#\d+|#x[\da-f]+|[a-z]+);/i.test(s)) return s;
  return s
    .replace(/&#(\d+);/g, (_, d: string) => codePoint(Number(d)))
    .replace(/&#x([\da-f]+);/gi, (_, h: string) => codePoint(Number.parseInt(h, 16)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, n: string) => ENTITIES[n] ?? _);
}
/** The character for a numeric reference; U+FFFD for NUL, surrogates and numbers past Unicode. */
function codePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : '\uFFFD';
}
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A byline without its "By" / "Par" / "Por" / "Von" prefix. */
export function bylineName(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:by|par|por|von|di|door|av|af)\s+/i, '');
}

/**
 * Tags trimmed and de-duplicated in first-seen order; "Muslim women", "muslim-women" and "MUSLIM WOMEN"
 * count as one. Empty, over-long and WordPress's default "Uncategorized" are dropped.
 */
export function uniqueTags(tags: Iterable<string>, max = 20): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.replace(/\s+/g, ' ').trim();
    const k = t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    if (!k || t.length > 60 || seen.has(k) || k === 'uncategorized') continue;
    seen.add(k);
    out.push(t);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A canonical link is ignored when it points at the site's home page while the page is deeper
 * (a common template mistake that would make every article the same key).
 */
function plausibleCanonical(canonical: string | undefined, pageUrl: string): string | undefined {
  if (!canonical) return undefined;
  try {
    const c = new URL(canonical);
    const p = new URL(pageUrl);
    if (c.protocol === 'file:') return undefined;
    if (
      (c.pathname === '/' || c.pathname === '') &&
      !c.search &&
      p.pathname.length > 1 &&
      p.protocol !== 'file:'
    )
      return undefined;
    return c.href;
  } catch {
    return undefined;
  }
}

export function extractPageMetadata(doc: Document, pageUrl: string): PageMetadata {
  const meta = metaIndex(doc);
  const ld = jsonLdNodes(doc);
  const article = ld.find((n) => typesOf(n).some((t) => ARTICLE_TYPE.test(t))) ?? ld.find((n) => n.headline);
  // Relative links resolve against <base href> when the page sets one (doc.baseURI), else the page URL.
  const abs = (u: string | undefined) => absoluteUrl(u, doc.baseURI || pageUrl);

  const canonicalLink = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href');
  const canonicalUrl = plausibleCanonical(abs(canonicalLink ?? first(meta, 'og:url')), pageUrl);

  const image = [
    first(meta, 'og:image:secure_url', 'og:image:url', 'og:image', 'twitter:image', 'twitter:image:src'),
    imageUrl(article?.image),
    doc.querySelector('link[rel~="image_src" i][href]')?.getAttribute('href') ?? undefined,
  ]
    .map(abs)
    .find((u) => u && !u.startsWith('file:'));

  const timeEl =
    doc.querySelector(
      'time[itemprop~="datePublished" i][datetime], time[pubdate][datetime], time.published[datetime]',
    ) ??
    doc.querySelector('article time[datetime]') ??
    doc.querySelector('time[datetime]');
  const publishedAt = [
    first(
      meta,
      'article:published_time',
      'og:article:published_time',
      'datepublished',
      'date',
      'dc.date.issued',
      'dcterms.created',
    ),
    text(article?.datePublished),
    timeEl?.getAttribute('datetime') ?? undefined,
  ]
    .map(isoDate)
    .find(Boolean);

  const articleTags = meta.get('article:tag') ?? [];
  const relTags = Array.from(doc.querySelectorAll('a[rel~="tag" i]')).map((a) => a.textContent ?? '');
  const tags = uniqueTags(
    [
      // One article:tag per tag, except on sites that put the whole list in a single one.
      ...(articleTags.length === 1 ? articleTags[0]!.split(',') : articleTags),
      ...names(article?.keywords),
      ...relTags,
      ...(meta.get('article:section') ?? []),
      ...names(article?.articleSection),
    ].map(decodeEntities),
  );

  const decoded = (s: string | undefined) => (s ? decodeEntities(s) : undefined);
  const author = [...names(article?.author), first(meta, 'author', 'article:author', 'parsely-author')].find(
    (a) => a && !/^https?:/i.test(a),
  );
  return {
    title: decoded(text(article?.headline) ?? first(meta, 'og:title', 'twitter:title')),
    canonicalUrl,
    description: decoded(
      first(meta, 'og:description', 'description', 'twitter:description') ?? text(article?.description),
    ),
    image,
    publishedAt,
    author: author ? bylineName(decodeEntities(author)) : undefined,
    siteName: decoded(first(meta, 'og:site_name', 'application-name')),
    tags,
    articleBody: typeof article?.articleBody === 'string' ? article.articleBody : undefined,
  };
}
