import * as z from 'zod';
import { type Article, canonicalKey, guidAlias, makeArticle } from './article.js';
import { cleanArticleText, firstSentence } from './clean.js';
import { isoDate } from './dates.js';
import { SourceError } from './errors.js';
import { uniqueTags } from './html-meta.js';
import { htmlFragmentToText, htmlToInlineText } from './html-text.js';
import { absoluteUrl, locationUrl } from './location.js';

/** How many posts one read asks for (WordPress allows 1–100). */
export const WORDPRESS_PER_PAGE = 20;

const rendered = z.object({ rendered: z.string().default(''), protected: z.boolean().optional() });

/** The fields Crier reads from `/wp-json/wp/v2/posts?_embed=1`; everything else is ignored. */
const postSchema = z.object({
  id: z.number().optional(),
  link: z.string().optional(),
  guid: rendered.optional(),
  date: z.string().optional(),
  date_gmt: z.string().nullable().optional(),
  title: rendered.optional(),
  content: rendered.optional(),
  excerpt: rendered.optional(),
  _embedded: z
    .object({
      author: z.array(z.object({ name: z.string().optional() }).loose()).optional(),
      'wp:featuredmedia': z.array(z.object({ source_url: z.string().optional() }).loose()).optional(),
      'wp:term': z
        .array(z.array(z.object({ name: z.string().optional(), taxonomy: z.string().optional() }).loose()))
        .optional(),
    })
    .loose()
    .optional(),
});
type Post = z.infer<typeof postSchema>;

const WP_POSTS_PATH = /\/wp-json\/wp\/v2\/posts\/?$/i;

/** True when a URL is a WordPress REST posts endpoint (`…/wp-json/wp/v2/posts`, any query). */
export function isWordPressPostsUrl(location: string): boolean {
  try {
    return WP_POSTS_PATH.test(new URL(location).pathname);
  } catch {
    return false;
  }
}

/**
 * The posts endpoint for a location: a posts URL keeps its query and gains `_embed` (featured image,
 * terms, author) and `per_page` when absent; a site URL gets `/wp-json/wp/v2/posts` appended.
 */
export function wordpressPostsUrl(location: string): string {
  const u = new URL(location);
  if (!WP_POSTS_PATH.test(u.pathname)) {
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/wp-json/wp/v2/posts`;
    u.search = '';
  }
  if (!u.searchParams.has('per_page')) u.searchParams.set('per_page', String(WORDPRESS_PER_PAGE));
  if (!u.searchParams.has('_embed')) u.searchParams.set('_embed', '1');
  return u.href;
}

/** WordPress `date_gmt` is UTC written without a zone ("2024-03-01T10:00:00"). */
function gmtDate(post: Post): string | undefined {
  if (post.date_gmt)
    return isoDate(/[zZ]|[+-]\d\d:?\d\d$/.test(post.date_gmt) ? post.date_gmt : `${post.date_gmt}Z`);
  return isoDate(post.date);
}

function toArticle(post: Post, source: string, base: string): Article | null {
  const title = post.title ? htmlToInlineText(post.title.rendered) : '';
  const contentText =
    post.content && !post.content.protected
      ? cleanArticleText(htmlFragmentToText(post.content.rendered), { title })
      : '';
  const excerptText = post.excerpt
    ? cleanArticleText(htmlFragmentToText(post.excerpt.rendered), { title })
    : '';
  const text = contentText || excerptText;
  if (!text) return null;
  const url = absoluteUrl(post.link, base) ?? '';
  const embedded = post._embedded;
  const terms = (embedded?.['wp:term'] ?? []).flat();
  const byTaxonomy = (tax: string) => terms.filter((t) => t.taxonomy === tax).map((t) => t.name ?? '');
  return makeArticle({
    key: url ? canonicalKey(url) : post.guid?.rendered || undefined,
    url,
    title: title || firstSentence(text),
    text,
    description: excerptText ? excerptText.replace(/\s*\[(?:…|&hellip;|\.\.\.)]\s*$/, '…') : undefined,
    image: absoluteUrl(embedded?.['wp:featuredmedia']?.[0]?.source_url, base),
    // Post tags first (they are the specific ones), then categories.
    tags: uniqueTags([...byTaxonomy('post_tag'), ...byTaxonomy('category')]),
    publishedAt: gmtDate(post),
    author: embedded?.author?.[0]?.name || undefined,
    source,
    // The GUID stays when an editor changes the slug (and with it the link).
    ...(url && post.guid?.rendered ? { aliases: [guidAlias(post.guid.rendered, url)] } : {}),
  });
}

/** Articles from a WordPress REST posts response (a JSON array, as text or parsed). */
export function articlesFromWordPress(
  json: string | unknown,
  opts: { source: string; baseUrl?: string },
): Article[] {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new SourceError(opts.source, 'unparseable', 'WordPress REST answer is not JSON', { cause: e });
    }
  }
  if (!Array.isArray(value)) {
    // WordPress answers errors as {code, message, data: {status}}.
    const code = (value as { code?: unknown } | null)?.code;
    const detail = typeof code === 'string' ? ` (WordPress error "${code}")` : '';
    throw new SourceError(
      opts.source,
      'unparseable',
      `WordPress REST answer is not a list of posts${detail}`,
    );
  }
  const base = opts.baseUrl ?? locationUrl(opts.source);
  const articles: Article[] = [];
  for (const raw of value) {
    const post = postSchema.safeParse(raw);
    if (!post.success) continue;
    const a = toArticle(post.data, opts.source, base);
    if (a) articles.push(a);
  }
  if (value.length > 0 && articles.length === 0) {
    throw new SourceError(
      opts.source,
      'unparseable',
      'none of the WordPress posts has a title, link or content',
    );
  }
  return articles;
}
