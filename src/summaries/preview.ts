import type { Article } from '../articles/article.js';
import { isHttpUrl } from '../articles/location.js';
import type { Post } from '../core/post.js';

/**
 * The public JSON shape of one previewed article, printed by `crier preview --json/--jsonl` and read by
 * ../shared/check/validate-posts.mjs. A contract: add fields, never rename.
 */
export interface PreviewRecord {
  source: string;
  article: {
    id: string;
    title: string;
    /** The article's web link; null when the source names none (a saved page, plain text without --url). */
    url: string | null;
    text: string;
    description?: string;
    image?: string;
    tags: string[];
    publishedAt?: string;
  };
  /** What an operator must fix before this article can be published (e.g. it has no web link). */
  warnings?: string[];
  posts: Array<
    Pick<
      Post,
      'platform' | 'account' | 'text' | 'summary' | 'link' | 'hashtags' | 'thread' | 'article' | 'facets'
    >
  >;
}

export function previewRecord(article: Article, posts: Post[], source = article.source): PreviewRecord {
  const web = isHttpUrl(article.url);
  return {
    source,
    ...(web
      ? {}
      : { warnings: ['no web link: pass --url; the posts leave the link out, and publish refuses'] }),
    article: {
      id: article.id,
      title: article.title,
      url: web ? article.url : null,
      text: article.text,
      description: article.description,
      image: article.image,
      tags: article.tags,
      publishedAt: article.publishedAt,
    },
    posts: posts.map((p) => ({
      platform: p.platform,
      account: p.account,
      text: p.text,
      summary: p.summary,
      link: p.link,
      hashtags: p.hashtags,
      thread: p.thread,
      article: p.article,
      ...(p.facets ? { facets: p.facets } : {}),
    })),
  };
}
