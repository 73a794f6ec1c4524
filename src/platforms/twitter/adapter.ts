import { isPlatformFailure, PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, PlatformAdapter, TokenStore } from '../adapter.js';
import { LOOKUP_SKEW_MS, pageBack } from '../lookup.js';
import { MemoryTokenStore } from '../token-store.js';
import type { TwitterCredentials } from './credentials.js';
import { downloadImage, uploadImage } from './media.js';
import { xQuota } from './quota.js';
import { chainBelow, findHead, type TimelineTweet } from './timeline.js';
import { XClient } from './x-client.js';

export interface TwitterAdapterArgs {
  account: string;
  credentials: TwitterCredentials;
  options: AdapterOptions;
  /** Where rotating OAuth 2.0 tokens live (RedisTokenStore in production); in memory when absent. */
  tokens?: TokenStore;
  /** Told when the article image is left out (download or upload failed); the post goes out without it. */
  onImageSkipped?: (reason: string, post: Post) => void;
}

/** Public URL of a post; the username is not needed (X redirects). */
export function tweetUrl(id: string): string {
  return `https://x.com/i/web/status/${id}`;
}

/** How many of the account's tweets `find` reads per page (X's maximum page). */
const TIMELINE_PAGE = '100';

/** X wants its times as YYYY-MM-DDTHH:mm:ssZ (no milliseconds). */
const xTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

interface Created {
  data: { id: string; text: string };
}

interface Existing {
  head: PublishedRef;
  /** Ids of the replies already below the head, in order. */
  replies: string[];
}

/** `failure` again, with the thread head it happened under and what was done so far. */
function underHead(failure: PlatformFailure, head: PublishedRef, what: string): PlatformFailure {
  return new PlatformFailure({
    kind: failure.kind,
    platform: 'twitter',
    message: `${what}: ${failure.message}`,
    status: failure.status,
    code: failure.code,
    until: failure.until,
    action: failure.action,
    existing: head,
    cause: failure,
  });
}

/** What every operation of one account works with. */
interface XAccount {
  readonly x: XClient;
  readonly args: TwitterAdapterArgs;
  /** The account's user id, read once (`users/me`). */
  userId?: string;
}

/**
 * X/Twitter adapter (API v2 through twitter-api-v2, OAuth 1.0a or OAuth 2.0 user context).
 *
 * Threads: the head is posted first, then each reply to the previous tweet. A failure after the head
 * is thrown with `existing` = the head. On a retry the head is refused as duplicate content; the
 * adapter then finds it in the account's timeline, posts only the missing replies and throws
 * `duplicate` with `existing` = the head, so the head is never posted twice.
 */
export function createTwitterAdapter(args: TwitterAdapterArgs): PlatformAdapter {
  const { account, options } = args;
  const x = new XClient({
    account,
    credentials: args.credentials,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    tokens: args.tokens ?? new MemoryTokenStore(),
  });
  const ax: XAccount = { x, args };
  return {
    platform: 'twitter',
    account,
    publish: (post) => publish(ax, post),
    delete: (postId) => remove(ax, postId),
    find: async (post, opts) => (await lookup(ax, post, opts?.since))?.head ?? null,
    quota: () => (x.lastPostAnswer ? xQuota(x.lastPostAnswer.headers, x.lastPostAnswer.at) : undefined),
  };
}

async function create(
  ax: XAccount,
  text: string,
  operation: 'create-post' | 'create-reply',
  extra = {},
): Promise<string> {
  const res = await ax.x.call<Created>({
    operation,
    method: 'POST',
    path: 'tweets',
    body: { text, ...extra },
  });
  return res.data.id;
}

/** The article image uploaded as the post's media; none (and `onImageSkipped` told) when it cannot be. */
async function attachImage(ax: XAccount, post: Post): Promise<{ media?: { media_ids: [string] } }> {
  const { args } = ax;
  const url = post.article.image;
  if (!url) return {};
  const got = await downloadImage(url, args.options.timeoutMs, args.options.fetchPolicy);
  if (!got.ok) {
    args.onImageSkipped?.(got.reason, post);
    return {};
  }
  try {
    return { media: { media_ids: [await uploadImage(ax.x, got.image)] } };
  } catch (err) {
    // Whatever stopped the upload (a 401, a 429 of the media limit) shows again on the post itself.
    args.onImageSkipped?.(`image upload failed: ${err instanceof Error ? err.message : String(err)}`, post);
    return {};
  }
}

async function me(ax: XAccount): Promise<string> {
  ax.userId ??= (
    await ax.x.call<{ data: { id: string } }>({ operation: 'read', method: 'GET', path: 'users/me' })
  ).data.id;
  return ax.userId;
}

/**
 * The account's tweets, newest first, page by page back to `since` (src/platforms/lookup.ts; X filters by
 * `start_time` itself) or until one `matches`; without `since`, the newest page.
 */
async function timeline(
  ax: XAccount,
  since?: Date,
  matches: (t: TimelineTweet) => boolean = () => false,
): Promise<TimelineTweet[]> {
  const id = await me(ax);
  const startTime = since ? xTime(new Date(since.getTime() - LOOKUP_SKEW_MS)) : undefined;
  const { seen } = await pageBack<TimelineTweet>({
    platform: 'twitter',
    since,
    async page(cursor) {
      const res = await ax.x.call<{ data?: TimelineTweet[]; meta?: { next_token?: string } }>({
        operation: 'read',
        method: 'GET',
        path: `users/${id}/tweets`,
        query: {
          max_results: TIMELINE_PAGE,
          'tweet.fields': 'entities,created_at,referenced_tweets',
          ...(startTime ? { start_time: startTime } : {}),
          ...(cursor ? { pagination_token: cursor } : {}),
        },
      });
      return { items: res.data ?? [], next: res.meta?.next_token };
    },
    createdAt: (t) => (t.created_at ? Date.parse(t.created_at) : undefined),
    matches,
  });
  return seen;
}

/** The head of an earlier attempt of this post, and the thread below it (replies are newer than it). */
async function lookup(ax: XAccount, post: Post, since?: Date): Promise<Existing | null> {
  const wanted = [post.link, post.article.url];
  const seen = await timeline(ax, since, (t) => findHead([t], wanted) !== undefined);
  const head = findHead(seen, wanted);
  if (!head) return null;
  return {
    head: { postId: head.id, url: tweetUrl(head.id) },
    replies: chainBelow(seen, head.id).map((t) => t.id),
  };
}

/** Posts `post.thread[from..]` as replies, each to the previous tweet (`parent` first). */
async function postReplies(
  ax: XAccount,
  post: Post,
  head: PublishedRef,
  parent: string,
  from: number,
): Promise<void> {
  const thread = post.thread ?? [];
  for (let i = from; i < thread.length; i++) {
    try {
      parent = await create(ax, thread[i]!, 'create-reply', { reply: { in_reply_to_tweet_id: parent } });
    } catch (err) {
      if (!isPlatformFailure(err)) throw err;
      throw underHead(err, head, `X thread reply ${i + 1}/${thread.length} failed under head ${head.postId}`);
    }
  }
}

async function publish(ax: XAccount, post: Post): Promise<PublishedRef> {
  const media = await attachImage(ax, post);
  let headId: string;
  try {
    headId = await create(ax, post.text, 'create-post', media);
  } catch (err) {
    if (!isPlatformFailure(err) || err.kind !== 'duplicate') throw err;
    throw await completeEarlierThread(ax, post, err);
  }
  const head = { postId: headId, url: tweetUrl(headId) };
  await postReplies(ax, post, head, headId, 0);
  return head;
}

/**
 * X refused the head as duplicate content: an earlier attempt posted it. Finds it, posts the replies that
 * attempt did not, and returns the `duplicate` failure to throw, with `existing` = that head (`refusal`
 * itself when the head cannot be found).
 */
async function completeEarlierThread(
  ax: XAccount,
  post: Post,
  refusal: PlatformFailure,
): Promise<PlatformFailure> {
  const found = await lookup(ax, post).catch(() => null);
  if (!found) return refusal;
  const thread = post.thread ?? [];
  const done = Math.min(found.replies.length, thread.length);
  if (done < thread.length)
    await postReplies(ax, post, found.head, found.replies[done - 1] ?? found.head.postId, done);
  return underHead(refusal, found.head, 'X already has this post');
}

/** One DELETE /2/tweets/:id; a post X no longer has (deleted:false, or 404) is already gone. */
async function deleteOne(ax: XAccount, id: string): Promise<DeleteResult['outcome']> {
  try {
    const res = await ax.x.call<{ data?: { deleted?: boolean } }>({
      operation: 'delete',
      method: 'DELETE',
      path: `tweets/${encodeURIComponent(id)}`,
    });
    return res.data?.deleted === true ? 'deleted' : 'already-gone';
  } catch (err) {
    if (isPlatformFailure(err) && err.status === 404) return 'already-gone';
    throw err;
  }
}

/**
 * Deletes a post and the thread replies below it (X keeps replies when their parent goes): the replies are
 * read from the account's timeline first, so a failed read deletes nothing, then deleted last to first.
 */
async function remove(ax: XAccount, postId: string): Promise<DeleteResult> {
  const replies = chainBelow(await timeline(ax), postId).map((t) => t.id);
  for (const id of replies.reverse()) await deleteOne(ax, id);
  return { postId, outcome: await deleteOne(ax, postId) };
}
