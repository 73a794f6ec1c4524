import { canonicalKey } from '../../articles/article.js';
import type { Post } from '../../core/post.js';
import type { GraphFeedItem } from './graph.js';

/**
 * Whether a Page post carries this post's link: its `link` field equals the link sent or the article
 * URL (compared without fragment and tracking parameters), or its message contains one of them.
 */
export function feedItemMatches(item: GraphFeedItem, post: Post): boolean {
  const targets = [post.link, post.article.url].filter((u): u is string => Boolean(u));
  if (item.link) {
    const linked = canonicalKey(item.link);
    if (targets.some((t) => canonicalKey(t) === linked)) return true;
  }
  return Boolean(item.message && targets.some((t) => item.message!.includes(t)));
}
