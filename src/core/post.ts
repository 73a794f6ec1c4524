import type { PlatformName } from './platform.js';

/** What the article card of a post shows (LinkedIn content.article, X image, Facebook link card). */
export interface PostArticle {
  url: string;
  title: string;
  description?: string;
  image?: string;
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
  article: PostArticle;
}
