import type { Article } from '../articles/article.js';
import type { Post } from './post.js';

/**
 * The public JSON shape of one previewed article, printed by `crier preview --json/--jsonl` and read by
 * ../shared/check/validate-posts.mjs. A contract: add fields, never rename.
 */
export interface PreviewRecord {
  source: string;
  article: {
    id: string;
    title: string;
    url: string;
    text: string;
    description?: string;
    image?: string;
    tags: string[];
    publishedAt?: string;
  };
  posts: Array<
    Pick<Post, 'platform' | 'account' | 'text' | 'summary' | 'link' | 'hashtags' | 'thread' | 'article'>
  >;
}

export function previewRecord(article: Article, posts: Post[], source = article.source): PreviewRecord {
  return {
    source,
    article: {
      id: article.id,
      title: article.title,
      url: article.url,
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
    })),
  };
}
