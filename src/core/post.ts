import type { PlatformName } from './platform.js';

/** What the article card of a post shows (LinkedIn content.article, X image, Facebook link card). */
export interface PostArticle {
  url: string;
  title: string;
  description?: string;
  image?: string;
}

/**
 * A rich-text annotation of a range of the post text, in UTF-8 byte offsets (end exclusive), as platforms that
 * do not parse the text themselves want it: a link (`uri`) or a hashtag (`tag`, without "#").
 */
export interface PostFacet {
  index: { byteStart: number; byteEnd: number };
  features: Array<{ $type: string; uri?: string; tag?: string }>;
}

/** One post for one account, exactly as it will be sent. */
export interface Post {
  platform: PlatformName;
  /** Account id from config. */
  account: string;
  articleId: string;
  articleKey: string;
  /** Exactly what is sent as the post text (Facebook: the message; LinkedIn: little-text commentary). */
  text: string;
  /** The summary sentence(s) used in `text`, unescaped. */
  summary: string;
  /** The article link as sent (with UTM parameters when configured). */
  link: string;
  hashtags: string[];
  /** X only: follow-up replies, posted as a reply chain after `text`. */
  thread?: string[];
  /** The links and hashtags of `text` as facets, where the platform needs them. */
  facets?: PostFacet[];
  article: PostArticle;
}
