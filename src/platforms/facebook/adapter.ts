import { PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, FindOptions, PlatformAdapter } from '../adapter.js';
import { createPlatformHttp } from '../http.js';
import { pageBack } from '../lookup.js';
import { classifyFacebookAnswer } from './classify.js';
import type { FacebookCredentials } from './credentials.js';
import { type GraphFeedItem, parseFeed, parseGraphError, postUrl } from './graph.js';
import { feedItemMatches } from './match.js';
import { type FacebookUsage, parseUsageHeaders, usageQuota } from './usage.js';

/** The Facebook adapter also reports the latest Graph usage headers (for `crier status`). */
export interface FacebookAdapter extends PlatformAdapter {
  /** Usage from the most recent response that carried usage headers, if any. */
  usage(): FacebookUsage | undefined;
}

/** How many Page posts `find` reads per page (Graph's maximum). */
export const FIND_LIMIT = 100;
const FIND_FIELDS = 'id,message,link,permalink_url,created_time';

/**
 * Facebook Pages adapter (Graph API, through the shared HTTP helper):
 * - publish: POST {base}/{version}/{page-id}/feed, form-encoded message, link, access_token (Page token).
 * - find: GET {base}/{version}/{page-id}/feed?fields=... and match the post's link.
 * - delete: DELETE {base}/{version}/{post-id}.
 * The token travels only in request bodies/params; failures carry the Graph message with the token redacted
 * and a cause without the request config.
 */
export function createFacebookAdapter(args: {
  account: string;
  credentials: FacebookCredentials;
  options: AdapterOptions;
}): FacebookAdapter {
  const { account, credentials, options } = args;
  const feedPath = `/${credentials.graphVersion}/${encodeURIComponent(credentials.pageId)}/feed`;
  const token = credentials.pageToken;
  let latestUsage: FacebookUsage | undefined;
  const http = createPlatformHttp({
    platform: 'facebook',
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    classify: classifyFacebookAnswer,
    observe: (answer) => {
      const usage = parseUsageHeaders(answer.headers, answer.at);
      if (usage) latestUsage = usage;
    },
    secrets: () => [token],
  });

  /** The Page's posts, newest first, page by page (Graph cursors) back to `since` (src/platforms/lookup.ts). */
  async function find(post: Post, opts: FindOptions = {}): Promise<PublishedRef | null> {
    const { hit } = await pageBack<GraphFeedItem>({
      platform: 'facebook',
      since: opts.since,
      async page(after) {
        const res = await http.send({
          operation: 'read',
          method: 'GET',
          url: feedPath,
          params: {
            fields: FIND_FIELDS,
            limit: FIND_LIMIT,
            access_token: token,
            ...(after ? { after } : {}),
          },
        });
        const items = res.status === 200 ? parseFeed(res.body) : undefined;
        if (!items) throw http.failure(res, 'read');
        return { items, next: nextCursor(res.body) };
      },
      createdAt: (i) => (i.created_time ? Date.parse(i.created_time) : undefined),
      matches: (i) => feedItemMatches(i, post),
    });
    return hit ? { postId: hit.id, url: hit.permalink_url ?? postUrl(hit.id) } : null;
  }

  async function publish(post: Post): Promise<PublishedRef> {
    const form = new URLSearchParams();
    if (post.text) form.set('message', post.text);
    if (post.link) form.set('link', post.link);
    form.set('access_token', token);
    const res = await http.send({ operation: 'create', method: 'POST', url: feedPath, data: form });
    const id = (res.body as { id?: unknown } | undefined)?.id;
    const ok = res.status >= 200 && res.status < 300 && !parseGraphError(res.body);
    if (ok && typeof id === 'string' && id) return { postId: id, url: postUrl(id) };
    const failure = http.failure(res, 'create');
    if (failure.kind !== 'duplicate') throw failure;
    // 506: look the earlier post up so the caller can mark this one as posted; a failed lookup leaves it unset.
    const existing = (await find(post).catch(() => null)) ?? undefined;
    throw new PlatformFailure({ ...failure.toInit(), existing });
  }

  /**
   * DELETE /{post-id}. Graph answers 100/33 ("does not exist, cannot be loaded due to missing permissions…") for a
   * post the Page no longer has; that is only taken for "already gone" for a post of this Page (its id starts with
   * the Page id): another Page's post is refused before any call.
   */
  async function remove(postId: string): Promise<DeleteResult> {
    if (!postId.startsWith(`${credentials.pageId}_`))
      throw new PlatformFailure({
        kind: 'invalid',
        platform: 'facebook',
        code: 'not-author',
        message: `post ${postId} is not a post of Page ${credentials.pageId}`,
      });
    const res = await http.send({
      operation: 'delete',
      method: 'DELETE',
      url: `/${credentials.graphVersion}/${encodeURIComponent(postId)}`,
      params: { access_token: token },
    });
    if (res.status === 200 && (res.body as { success?: unknown } | undefined)?.success === true)
      return { postId, outcome: 'deleted' };
    const error = parseGraphError(res.body);
    if (error?.code === 100 && error.error_subcode === 33) return { postId, outcome: 'already-gone' };
    throw http.failure(res, 'delete');
  }

  return {
    platform: 'facebook',
    account,
    publish,
    find,
    delete: remove,
    usage: () => latestUsage,
    quota: () => (latestUsage ? usageQuota(latestUsage) : undefined),
  };
}

/** The `after` cursor of a Graph listing when it has a next page (Graph gives `paging.next` only then). */
function nextCursor(body: unknown): string | undefined {
  const paging = (body as { paging?: { next?: unknown; cursors?: { after?: unknown } } } | undefined)?.paging;
  const after = paging?.cursors?.after;
  return typeof paging?.next === 'string' && typeof after === 'string' && after ? after : undefined;
}
