import { canonicalKey } from '../../articles/article.js';

/** A tweet as GET /2/users/:id/tweets returns it with tweet.fields=entities,created_at,referenced_tweets. */
export interface TimelineTweet {
  id: string;
  text: string;
  created_at?: string;
  entities?: { urls?: { url?: string; expanded_url?: string; unwound_url?: string }[] };
  referenced_tweets?: { type: string; id: string }[];
}

function repliedTo(t: TimelineTweet): string | undefined {
  return t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
}

/** Both sides compared as sent and without tracking parameters (X may keep or drop a trailing slash). */
function sameLink(a: string, wanted: Set<string>): boolean {
  return wanted.has(a) || wanted.has(canonicalKey(a));
}

/**
 * The newest top-level tweet (not a reply) whose link entities carry one of `links`: the head of
 * an earlier attempt of this post. Replies are skipped so a thread reply is never taken for the head.
 */
export function findHead(tweets: TimelineTweet[], links: string[]): TimelineTweet | undefined {
  const wanted = new Set(links.flatMap((l) => [l, canonicalKey(l)]));
  return tweets.find(
    (t) =>
      !repliedTo(t) &&
      (t.entities?.urls ?? []).some((u) =>
        [u.expanded_url, u.unwound_url].some((x) => x !== undefined && sameLink(x, wanted)),
      ),
  );
}

/** The reply chain below `headId` in the account's own timeline, in order (head excluded). */
export function chainBelow(tweets: TimelineTweet[], headId: string): TimelineTweet[] {
  const byParent = new Map<string, TimelineTweet>();
  for (const t of tweets) {
    const parent = repliedTo(t);
    // The timeline is newest first: keep the oldest reply to each parent, the one the thread used.
    if (parent) byParent.set(parent, t);
  }
  const chain: TimelineTweet[] = [];
  for (let next = byParent.get(headId); next && chain.length < 50; next = byParent.get(next.id)) {
    chain.push(next);
  }
  return chain;
}
