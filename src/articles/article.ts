import { createHash } from 'node:crypto';
import { BIDI_CONTROLS, BIDI_CONTROLS_AND_MARKS } from './clean.js';

/** One article, normalised from any source kind. Paragraphs in `text` are separated by a blank line. */
export interface Article {
  /** Short stable id derived from `key` (safe as a BullMQ job id part: no ':' and not all digits). */
  id: string;
  /** Stable identity: canonical URL, else feed GUID, else a hash of source + title. */
  key: string;
  url: string;
  title: string;
  text: string;
  description?: string;
  image?: string;
  tags: string[];
  /** ISO-8601 */
  publishedAt?: string;
  /** Byline / feed item author, when the source names one. */
  author?: string;
  /** Where the article was read from (file path or URL). */
  source: string;
  /**
   * Other stable identities of the same article (a feed GUID, a WordPress post GUID): an article whose URL
   * changed (an edited slug) is still known by them, so it is not posted again.
   */
  aliases?: string[];
  /**
   * A feed item completed from its page: the page read and a digest of the item as the feed carried it
   * (while the feed's item is unchanged, the page is not fetched again).
   */
  completedFrom?: { page: string; feedDigest: string };
}

export function articleId(key: string): string {
  return `a${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Normalises a URL used as an identity: one article whatever the scheme (a site moving to HTTPS must not
 * re-post its feed), a "www." host prefix, a trailing slash, the fragment or tracking parameters.
 */
export function canonicalKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    // Credentials are no part of which article a link names (and are never stored).
    u.username = '';
    u.password = '';
    if (u.protocol === 'http:') u.protocol = 'https:';
    if (u.protocol === 'https:' && u.hostname.startsWith('www.')) u.hostname = u.hostname.slice(4);
    // "/story/" and "/story" are one article.
    if (u.pathname.length > 1 && u.pathname.endsWith('/')) u.pathname = u.pathname.replace(/\/+$/, '');
    for (const p of [...u.searchParams.keys()]) {
      if (/^(utm_|fbclid$|gclid$|mc_)/i.test(p)) u.searchParams.delete(p);
    }
    return u.toString();
  } catch {
    return url.trim();
  }
}

/**
 * An alias naming a feed or WordPress GUID, scoped to the article's site (two feeds may both number their
 * items "1", "2", …).
 */
export function guidAlias(guid: string, url: string): string {
  let site = '';
  try {
    site = new URL(canonicalKey(url)).host;
  } catch {
    // No site to scope by: the GUID alone.
  }
  return `guid:${site}:${guid.trim()}`;
}

/** Bidi controls written into a URL, raw or percent-encoded (%E2%80%AE is a right-to-left override). */
const URL_BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]|%E2%80%(?:8E|8F|A[A-E])|%E2%81%A[6-9]/gi;

/**
 * What a follower sees of an article (headline, link, card description, byline, tags) carries no
 * bidirectional controls or marks: a right-to-left override would turn the words or the link around on a
 * card. The body keeps its direction marks (U+200E/200F), which right-to-left prose needs; overrides and
 * isolates go from it too.
 */
function withoutBidi<T extends string | undefined>(s: T): T {
  return (s === undefined ? s : s.replace(BIDI_CONTROLS_AND_MARKS, '')) as T;
}

/**
 * A link as followers see it: never with the user name or password a page or feed wrote into it (a staging
 * site's basic-auth credentials would be posted in public). The `--url` an operator types is refused instead.
 */
function withoutCredentials(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

export function makeArticle(
  fields: Omit<Article, 'id' | 'key' | 'tags'> & { key?: string; tags?: string[] },
): Article {
  const clean = {
    ...fields,
    url: withoutCredentials(fields.url.replace(URL_BIDI, '')),
    title: withoutBidi(fields.title).trim(),
    text: fields.text.replace(BIDI_CONTROLS, ''),
    description: withoutBidi(fields.description),
    author: withoutBidi(fields.author),
    image: fields.image?.replace(URL_BIDI, ''),
    tags: (fields.tags ?? []).map((t) => withoutBidi(t)),
  };
  const key = clean.key ?? (clean.url ? canonicalKey(clean.url) : `${clean.source}#${clean.title}`);
  return { ...clean, key, id: articleId(key) };
}
