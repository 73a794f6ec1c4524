import { PlatformFailure } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';

/**
 * Platforms' clocks and ours differ: a look-up reads this much further back than the claim it was given.
 * Reading a few posts more costs little; missing one posts it twice.
 */
export const LOOKUP_SKEW_MS = 10 * 60_000;

/** At most this many pages per look-up (at 100 posts a page, 5,000 posts since the claim). */
export const LOOKUP_MAX_PAGES = 50;

export interface ListingPage<T> {
  items: T[];
  /** The next (older) page's cursor; undefined when the listing ends here. */
  next?: string;
}

export interface PageBackOptions<T> {
  platform: PlatformName;
  /** Every post made at or after this time must be read (the attempt's claim); undefined: the newest page only. */
  since?: Date;
  /** One page of the account's posts, newest first; `cursor` undefined for the first. */
  page: (cursor: string | undefined) => Promise<ListingPage<T>>;
  /** When the platform says the post was created (epoch ms), when it says. */
  createdAt: (item: T) => number | undefined;
  matches: (item: T) => boolean;
  maxPages?: number;
}

/**
 * The look-up's paging: reads the account's posts newest first, page after page, until one it is looking for
 * turns up, or the posts are older than `since` (less the skew allowance), or the listing ends. So a look-up
 * that finds nothing has seen every post made since the claim, however many were posted in between. When
 * `maxPages` pages do not reach back that far, nothing can be confirmed: it throws `unconfirmed`.
 * Returns the hit (or null) and every item read (newest first).
 */
export async function pageBack<T>(o: PageBackOptions<T>): Promise<{ hit: T | null; seen: T[] }> {
  const oldest = o.since ? o.since.getTime() - LOOKUP_SKEW_MS : undefined;
  const maxPages = o.maxPages ?? LOOKUP_MAX_PAGES;
  const seen: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const page = await o.page(cursor);
    seen.push(...page.items);
    const hit = page.items.find(o.matches);
    if (hit) return { hit, seen };
    if (oldest === undefined || !page.next || page.items.length === 0) return { hit: null, seen };
    // Newest first: once the last item of a page is older than the claim, every later one is too.
    const last = o.createdAt(page.items[page.items.length - 1]!);
    if (last !== undefined && last < oldest) return { hit: null, seen };
    cursor = page.next;
  }
  throw new PlatformFailure({
    kind: 'unconfirmed',
    platform: o.platform,
    message: `look-up read ${maxPages} pages of the account's posts without reaching back to ${o.since?.toISOString()}: the post could not be confirmed`,
  });
}
