import { createHash } from 'node:crypto';
import { canonicalKey } from '../../articles/article.js';
import { isPlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type { AdapterOptions, DeleteResult, FindOptions, PlatformAdapter, QuotaReading } from '../adapter.js';
import { createPlatformHttp, type PlatformHttp } from '../http.js';
import { pageBack } from '../lookup.js';
import {
  contentLinks,
  type MastodonStatus,
  type MastodonStatusRequest,
  type MastodonVisibility,
} from './api.js';
import { classifyMastodon, parseRateLimit, rateLimitQuota } from './classify.js';
import type { MastodonCredentials } from './credentials.js';

/** Statuses per page of the account's timeline (Mastodon's maximum). */
const PAGE = 40;

export interface MastodonSettings {
  visibility: MastodonVisibility;
  /** ISO 639-1 language of the posts (Mastodon guesses when absent). */
  language?: string;
  /** The longest status the account's instance takes, when the operator pins it (else the instance says). */
  maxCharacters?: number;
}

export interface MastodonAdapterArgs {
  account: string;
  credentials: MastodonCredentials;
  settings: MastodonSettings;
  options: Pick<AdapterOptions, 'timeoutMs'>;
}

/**
 * The Idempotency-Key of a post: derived from its ledger key (article, platform, account), so every attempt of
 * the same post sends the same key and Mastodon answers a repeat (within its hour) with the status it created.
 */
export function idempotencyKey(post: Pick<Post, 'articleId' | 'platform' | 'account'>): string {
  const hash = createHash('sha256').update(`${post.articleId}\n${post.platform}\n${post.account}`);
  return `crier-${hash.digest('hex').slice(0, 40)}`;
}

/** The `max_id` of the Link header's rel="next" (Mastodon pages timelines this way). */
function nextMaxId(link: string | undefined): string | undefined {
  const next = link?.split(',').find((part) => /rel="next"/.test(part));
  const url = next && /<([^>]+)>/.exec(next)?.[1];
  return url ? (new URL(url).searchParams.get('max_id') ?? undefined) : undefined;
}

/**
 * Mastodon adapter (REST API of the account's instance, through the shared HTTP helper):
 * - publish: POST /api/v1/statuses with an Idempotency-Key derived from the ledger key, the account's visibility
 *   and language; the instance builds the link card from the first URL of the text.
 * - find: the account's own statuses (verify_credentials, then /api/v1/accounts/:id/statuses, newest first,
 *   paging back to `since`), matched on the links of their HTML content or card.
 * - delete: DELETE /api/v1/statuses/:id (404 is "already gone": Mastodon says the same of another account's status).
 */
export function createMastodonAdapter(args: MastodonAdapterArgs): PlatformAdapter {
  return new MastodonAdapter(args);
}

class MastodonAdapter implements PlatformAdapter {
  readonly platform = 'mastodon' as const;
  readonly account: string;
  private latest: QuotaReading | undefined;
  private accountId: string | undefined;
  private readonly http: PlatformHttp;

  constructor(private readonly args: MastodonAdapterArgs) {
    const { credentials, options } = args;
    this.account = args.account;
    this.http = createPlatformHttp({
      platform: 'mastodon',
      baseUrl: credentials.instanceUrl,
      timeoutMs: options.timeoutMs,
      headers: { Authorization: `Bearer ${credentials.accessToken}` },
      classify: classifyMastodon,
      observe: (answer, operation) => {
        const rl = operation === 'create' ? parseRateLimit(answer.headers) : undefined;
        if (rl) this.latest = rateLimitQuota(rl, answer.at);
      },
      secrets: () => [credentials.accessToken],
    });
  }

  quota(): QuotaReading | undefined {
    return this.latest;
  }

  private statusUrl(s: { id: string; url?: string | null; uri?: string }): string {
    return s.url || s.uri || `${this.args.credentials.instanceUrl}/statuses/${s.id}`;
  }

  /** The account's id on its instance (verify_credentials, asked once). */
  private async me(): Promise<string> {
    if (this.accountId) return this.accountId;
    const res = await this.http.request({
      operation: 'read',
      method: 'GET',
      url: '/api/v1/accounts/verify_credentials',
    });
    const id = (res.body as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || !id) throw this.http.unexpected(res, 'read', 'the account id');
    this.accountId = id;
    return id;
  }

  /**
   * The account's statuses, newest first, paging back to `since` (pageBack: the clock-skew allowance, and
   * `unconfirmed` when it cannot reach that far); without `since`, the newest page.
   */
  async find(post: Post, opts: FindOptions = {}): Promise<PublishedRef | null> {
    const wanted = new Set([post.link, post.article.url].filter(Boolean).map(canonicalKey));
    const id = await this.me();
    const { hit } = await pageBack<MastodonStatus>({
      platform: 'mastodon',
      since: opts.since,
      page: async (maxId) => {
        const res = await this.http.request({
          operation: 'read',
          method: 'GET',
          url: `/api/v1/accounts/${encodeURIComponent(id)}/statuses`,
          params: {
            limit: PAGE,
            exclude_replies: 'true',
            exclude_reblogs: 'true',
            ...(maxId ? { max_id: maxId } : {}),
          },
        });
        const items = Array.isArray(res.body) ? (res.body as MastodonStatus[]) : [];
        const next = items.length < PAGE ? undefined : (nextMaxId(res.headers.link) ?? items.at(-1)?.id);
        return { items, next };
      },
      createdAt: (s) => Date.parse(s.created_at) || undefined,
      matches: (s) =>
        [...contentLinks(s.content ?? ''), ...(s.card?.url ? [s.card.url] : [])].some((u) =>
          wanted.has(canonicalKey(u)),
        ),
    });
    return hit ? { postId: hit.id, url: this.statusUrl(hit) } : null;
  }

  async publish(post: Post): Promise<PublishedRef> {
    const { visibility, language } = this.args.settings;
    const body: MastodonStatusRequest = { status: post.text, visibility, ...(language ? { language } : {}) };
    const res = await this.http.request({
      operation: 'create',
      method: 'POST',
      url: '/api/v1/statuses',
      data: body,
      headers: { 'Idempotency-Key': idempotencyKey(post) },
    });
    const status = res.body as Partial<MastodonStatus> | undefined;
    if (typeof status?.id !== 'string' || !status.id)
      throw this.http.unexpected(res, 'create', 'a status id');
    return {
      postId: status.id,
      url: this.statusUrl({ id: status.id, url: status.url ?? null, uri: status.uri ?? '' }),
    };
  }

  async delete(postId: string): Promise<DeleteResult> {
    try {
      await this.http.request({
        operation: 'delete',
        method: 'DELETE',
        url: `/api/v1/statuses/${encodeURIComponent(postId)}`,
      });
      return { postId, outcome: 'deleted' };
    } catch (err) {
      if (isPlatformFailure(err) && err.status === 404) return { postId, outcome: 'already-gone' };
      throw err;
    }
  }
}
