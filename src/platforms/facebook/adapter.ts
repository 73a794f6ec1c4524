import axios, { type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios';
import type { FacebookCredentials } from '../../config/credentials.js';
import { PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, PlatformAdapter } from '../adapter.js';
import { type Classification, classifyGraphFailure, type GraphOperation } from './classify.js';
import { type GraphError, parseFeed, parseGraphError, postUrl } from './graph.js';
import { findInFeed } from './match.js';
import { type FacebookUsage, parseUsageHeaders, usageQuota } from './usage.js';

/** The Facebook adapter also reports the latest Graph usage headers (for `crier status`). */
export interface FacebookAdapter extends PlatformAdapter {
  /** Usage from the most recent response that carried usage headers, if any. */
  usage(): FacebookUsage | undefined;
}

interface FailureDetail {
  status?: number;
  network?: string;
  error?: GraphError;
}

/** How many recent Page posts `find` looks through (Graph allows up to 100 per page). */
export const FIND_LIMIT = 50;
const FIND_FIELDS = 'id,message,link,permalink_url,created_time';

/**
 * Facebook Pages adapter (Graph API, axios):
 * - publish: POST {base}/{version}/{page-id}/feed, form-encoded message, link, access_token (Page token).
 * - find: GET {base}/{version}/{page-id}/feed?fields=... and match the post's link.
 * The token travels only in request bodies/params; failures carry the Graph message with the token redacted
 * and a cause without the request config.
 */
export function createFacebookAdapter(args: {
  account: string;
  credentials: FacebookCredentials;
  options: AdapterOptions;
}): FacebookAdapter {
  const { account, credentials, options } = args;
  const base = options.baseUrl.replace(/\/+$/, '');
  const feedUrl = `${base}/${credentials.graphVersion}/${encodeURIComponent(credentials.pageId)}/feed`;
  const token = credentials.pageToken;
  const http = axios.create({
    timeout: options.timeoutMs,
    // Every HTTP answer is a response to classify; only network failures throw.
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });
  let latestUsage: FacebookUsage | undefined;

  const redact = (text: string): string =>
    token ? text.split(token).join('[redacted]').split(encodeURIComponent(token)).join('[redacted]') : text;

  /** The cause carries status, network code and the Graph error (redacted), never the request config. */
  function fail(c: Classification, detail: FailureDetail, existing?: PublishedRef): PlatformFailure {
    const error = detail.error && {
      ...detail.error,
      message: detail.error.message && redact(detail.error.message),
    };
    return new PlatformFailure({ ...c, existing, message: redact(c.message), cause: { ...detail, error } });
  }

  async function send(operation: GraphOperation, config: AxiosRequestConfig): Promise<AxiosResponse> {
    let res: AxiosResponse;
    try {
      // The axios timeout covers connect and idle time; the signal caps the whole exchange.
      res = await http.request({ ...config, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (err) {
      const network = isAxiosError(err) ? err.code : undefined;
      throw fail(classifyGraphFailure({ operation, now: new Date(), network }), { network });
    }
    const usage = parseUsageHeaders(res.headers as Record<string, unknown>, new Date());
    if (usage) latestUsage = usage;
    return res;
  }

  function classifyResponse(operation: GraphOperation, res: AxiosResponse) {
    const error = parseGraphError(res.data);
    const now = new Date();
    // The regain time must come from this very response, not an older one.
    const usage = parseUsageHeaders(res.headers as Record<string, unknown>, now);
    const c = classifyGraphFailure({ operation, now, status: res.status, error, usage });
    return { c, detail: { status: res.status, error } };
  }

  async function find(post: Post): Promise<PublishedRef | null> {
    const res = await send('read', {
      method: 'GET',
      url: feedUrl,
      params: { fields: FIND_FIELDS, limit: FIND_LIMIT, access_token: token },
    });
    const items = res.status === 200 ? parseFeed(res.data) : undefined;
    if (!items) {
      const { c, detail } = classifyResponse('read', res);
      throw fail(c, detail);
    }
    return findInFeed(items, post);
  }

  async function publish(post: Post): Promise<PublishedRef> {
    const form = new URLSearchParams();
    if (post.text) form.set('message', post.text);
    if (post.link) form.set('link', post.link);
    form.set('access_token', token);
    const res = await send('create', { method: 'POST', url: feedUrl, data: form });
    const id = (res.data as { id?: unknown } | undefined)?.id;
    const ok = res.status >= 200 && res.status < 300 && !parseGraphError(res.data);
    if (ok && typeof id === 'string' && id) return { postId: id, url: postUrl(id) };
    const { c, detail } = classifyResponse('create', res);
    // 506: look the earlier post up so the caller can mark this one as posted; a failed lookup leaves it unset.
    const existing = c.kind === 'duplicate' ? ((await find(post).catch(() => null)) ?? undefined) : undefined;
    throw fail(c, detail, existing);
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
    const res = await send('delete', {
      method: 'DELETE',
      url: `${base}/${credentials.graphVersion}/${encodeURIComponent(postId)}`,
      params: { access_token: token },
    });
    if (res.status === 200 && (res.data as { success?: unknown } | undefined)?.success === true)
      return { postId, outcome: 'deleted' };
    const { c, detail } = classifyResponse('delete', res);
    if (detail.error?.code === 100 && detail.error.error_subcode === 33)
      return { postId, outcome: 'already-gone' };
    throw fail(c, detail);
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
