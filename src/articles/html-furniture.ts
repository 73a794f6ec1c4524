/**
 * Boxes a page puts around and inside its article that are never article text, found by the class and id
 * names themes and plugins give them: share bars (Jetpack's sharedaddy, AddToAny, Shareaholic), related
 * posts (jp-relatedposts, YARPP), newsletter forms, author bio boxes, tag and category lists, comments,
 * cookie banners and ad slots. They are removed from the document before any extraction (Readability or
 * the fallbacks), so no path sees them.
 *
 * Names are matched whole (a class token or the id), never as substrings, so "shared-content" or
 * "comments-closed" on an article wrapper does not count; and a box that holds the article itself (an
 * the page's main <article>, <main>, articleBody, the <h1>) or most of the page's text is never removed.
 */

const HINTS: RegExp[] = [
  // share bars
  /^(?:sharedaddy|sd-sharing(?:-enabled)?|sd-social(?:-[\w-]+)?|sd-block|sd-content|share(?:-buttons?|-bar|-box|-links|-icons|-tools|-this|daddy)?|sharing(?:-buttons?|-bar|-box|-links|-icons)?|social-?shar(?:e|ing)(?:-[\w-]+)?|post-share|entry-share|article-share|addtoany_share_save_container|a2a_kit|shareaholic-canvas|ssba(?:-[\w-]+)?|heateor_sss_sharing_container|essb_links)$/i,
  // Jetpack likes and related posts, other related-post plugins
  /^(?:jp-relatedposts|jetpack-likes-widget-wrapper|sharedaddy-likes|related(?:-posts?|-articles?|-stories|-content|_posts)?|yarpp-related(?:-[\w-]+)?|crp_related|rp4wp-related-posts|wp-block-jetpack-related-posts)$/i,
  // newsletter and subscription forms
  /^(?:newsletter(?:-[\w-]+)?|[\w-]+-newsletter|mc4wp-form(?:-[\w-]+)?|mc_embed_signup|subscribe(?:-box|-form|-widget)?|wp-block-jetpack-subscriptions|jetpack_subscription_widget)$/i,
  // author bio boxes
  /^(?:author-?bio|about-?(?:the-)?author|author-box|author-info|author-card|post-author-bio|saboxplugin-wrap|molongui-author-box(?:-[\w-]+)?|abh_box)$/i,
  // tag and category lists
  /^(?:post-tags|entry-tags|tags-links|tag-links|tagcloud|post-categories|entry-categories|cat-links)$/i,
  // comments
  /^(?:comments|comments-area|comments-section|comment-respond|respond|commentlist|comment-list|disqus_thread)$/i,
  // cookie banners
  /^(?:cookie(?:-banner|-notice|-consent|-bar|law|s-banner)|cookie-law-info-bar|gdpr(?:-banner|-consent|-notice)|cc-window|cc-banner|onetrust-banner-sdk|onetrust-consent-sdk|CybotCookiebotDialog|didomi-host|consent-banner)$/i,
  // ad slots
  /^(?:ad|ads|advert|adverts|advertisement|ad-(?:slot|container|wrapper|unit|banner|block)|adsbygoogle|google-auto-placed)$/i,
];

function isHinted(el: Element): boolean {
  const names = [el.id, ...Array.from(el.classList)].filter(Boolean);
  return names.some((n) => HINTS.some((re) => re.test(n)));
}

/** Elements that mark the article: a box holding one is never removed. */
const ARTICLE = 'main, [itemprop~="articleBody" i], h1';

/** The page's longest <article> (themes also wrap each comment in one: those do not count). */
function mainArticle(body: HTMLElement): Element | undefined {
  let best: Element | undefined;
  let bestChars = 0;
  for (const a of Array.from(body.querySelectorAll('article'))) {
    const chars = (a.textContent ?? '').length;
    if (chars > bestChars) [best, bestChars] = [a, chars];
  }
  return best;
}
const KEEP_TAGS = new Set(['HTML', 'BODY', 'HEAD', 'ARTICLE', 'MAIN']);

/** Share of the page's text above which a hinted element is taken as the article's own wrapper. */
const MAX_SHARE = 0.5;

/** Removes the page's furniture boxes in place; returns how many were removed. */
export function removeFurnitureBoxes(doc: Document): number {
  const body = doc.body;
  if (!body) return 0;
  const pageChars = (body.textContent ?? '').length;
  const article = mainArticle(body);
  let removed = 0;
  for (const el of Array.from(body.querySelectorAll('[class], [id]'))) {
    if (!el.isConnected || KEEP_TAGS.has(el.tagName.toUpperCase()) || !isHinted(el)) continue;
    if (el.querySelector(ARTICLE) || (article && el.contains(article))) continue;
    if (pageChars > 0 && (el.textContent ?? '').length > pageChars * MAX_SHARE) continue;
    el.remove();
    removed += 1;
  }
  return removed;
}
