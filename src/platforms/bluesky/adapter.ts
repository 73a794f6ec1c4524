import { canonicalKey } from '../../articles/article.js';
import { PlatformFailure, type PublishedRef } from '../../core/failure.js';
import type { Post } from '../../core/post.js';
import type {
  AdapterOptions,
  DeleteResult,
  FindOptions,
  PlatformAdapter,
  QuotaReading,
  TokenStore,
} from '../adapter.js';
import { createPlatformHttp, type HttpRequest, type PlatformHttp } from '../http.js';
import { downloadImage } from '../image.js';
import { pageBack } from '../lookup.js';
import type { HttpAnswer } from '../verdict.js';
import {
  type BlobRef,
  type CreateRecordResponse,
  EXTERNAL_EMBED,
  type ListRecordsResponse,
  MAX_THUMB_BYTES,
  POST_COLLECTION,
  type PostRecord,
  parseAtUri,
  postUrl,
} from './api.js';
import { classifyBluesky, parseRateLimit, rateLimitQuota, xrpcError } from './classify.js';
import type { BlueskyCredentials } from './credentials.js';
import { detectFacets } from './richtext.js';
import { type Session, SessionKeeper, sessionOver } from './session.js';

/** Records per page of listRecords (the maximum). */
const PAGE = 100;
/** Image types an external embed's thumbnail may have. */
export const BLUESKY_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

export interface BlueskySettings {
  /** Languages of the posts (BCP 47, at most 3). */
  langs?: string[];
}

export interface BlueskyAdapterArgs {
  account: string;
  credentials: BlueskyCredentials;
  settings: BlueskySettings;
  options: Pick<AdapterOptions, 'timeoutMs' | 'fetchPolicy'>;
  /** Where the session is kept for every worker (Redis in production); in memory when absent. */
  tokens?: TokenStore;
  onImageSkipped?: (reason: string, post: Post) => void;
  now?: () => number;
}

/** Whether a stored record carries one of these links (card, link facet, or text). */
function recordLinks(value: Partial<PostRecord>): string[] {
  const links: string[] = [];
  const card = value.embed?.external?.uri;
  if (card) links.push(card);
  for (const f of value.facets ?? []) for (const feat of f.features) if (feat.uri) links.push(feat.uri);
  for (const m of (value.text ?? '').matchAll(/https?:\/\/\S+/g)) links.push(m[0]);
  return links;
}

/**
 * Bluesky adapter (AT Protocol over plain XRPC through the shared HTTP helper):
 * - a session from the identifier and app password at the service URL, kept, refreshed and renewed (SessionKeeper);
 *   repo calls go to the PDS the session's DID document names;
 * - publish: an `app.bsky.feed.post` record with the text's links and hashtags as facets (UTF-8 byte offsets) and
 *   the article as an `app.bsky.embed.external` card whose thumbnail is uploaded as a blob; Bluesky has no
 *   duplicate check of its own, so the account's latest records are looked at first and a post already there is
 *   `duplicate`, never a second copy;
 * - find: listRecords of the account's posts, newest first, paging back (to `since`);
 * - delete: getRecord (a record already gone says so), then deleteRecord.
 */
export function createBlueskyAdapter(args: BlueskyAdapterArgs): PlatformAdapter {
  return new BlueskyAdapter(args);
}

class BlueskyAdapter implements PlatformAdapter {
  readonly platform = 'bluesky' as const;
  readonly account: string;
  private latest: QuotaReading | undefined;
  private readonly http: PlatformHttp;
  private readonly sessions: SessionKeeper;
  private readonly now: () => number;

  constructor(private readonly args: BlueskyAdapterArgs) {
    const { credentials, options } = args;
    this.account = args.account;
    this.now = args.now ?? Date.now;
    this.http = createPlatformHttp({
      platform: 'bluesky',
      baseUrl: credentials.serviceUrl,
      timeoutMs: options.timeoutMs,
      classify: classifyBluesky,
      observe: (answer, operation) => {
        const rl = operation === 'create' ? parseRateLimit(answer.headers) : undefined;
        if (rl) this.latest = rateLimitQuota(rl, answer.at);
      },
      secrets: () => [credentials.appPassword],
    });
    this.sessions = new SessionKeeper({
      account: args.account,
      credentials,
      http: this.http,
      store: args.tokens,
      now: this.now,
    });
  }

  quota(): QuotaReading | undefined {
    return this.latest;
  }

  /** One XRPC call on the PDS with the session; a session that turns out over is renewed and the call sent again. */
  private async xrpc(
    nsid: string,
    req: Omit<HttpRequest, 'url'>,
  ): Promise<{ answer: HttpAnswer; session: Session }> {
    const send = (s: Session) =>
      this.http.send({
        ...req,
        url: `${s.pds}/xrpc/${nsid}`,
        headers: { ...req.headers, Authorization: `Bearer ${s.accessJwt}` },
      });
    let session = await this.sessions.get();
    let answer = await send(session);
    // A refused token applied nothing: renewing and sending again cannot double a post.
    if (sessionOver(answer)) {
      session = await this.sessions.refused(session);
      answer = await send(session);
    }
    return { answer, session };
  }

  /** The same, a success or a classified failure. */
  private async call(
    nsid: string,
    req: Omit<HttpRequest, 'url'>,
  ): Promise<{ body: unknown; session: Session }> {
    const { answer, session } = await this.xrpc(nsid, req);
    if (answer.status < 200 || answer.status >= 300) throw this.http.failure(answer, req.operation);
    return { body: answer.body, session };
  }

  find(post: Post, opts: FindOptions = {}): Promise<PublishedRef | null> {
    return this.lookUp(post, opts);
  }

  /**
   * listRecords of the account's posts, newest first, paging back to `since` (pageBack: the clock-skew allowance,
   * and `unconfirmed` when it cannot reach that far); without `since`, the newest page.
   */
  private async lookUp(post: Post, opts: FindOptions): Promise<PublishedRef | null> {
    const wanted = new Set([post.link, post.article.url].filter(Boolean).map(canonicalKey));
    const session = await this.sessions.get();
    const { hit } = await pageBack<Partial<ListRecordsResponse['records'][number]>>({
      platform: 'bluesky',
      since: opts.since,
      page: async (cursor) => {
        const { body } = await this.call('com.atproto.repo.listRecords', {
          operation: 'read',
          method: 'GET',
          params: {
            repo: session.did,
            collection: POST_COLLECTION,
            limit: PAGE,
            ...(cursor ? { cursor } : {}),
          },
        });
        const res = body as Partial<ListRecordsResponse>;
        return { items: res.records ?? [], next: res.cursor };
      },
      createdAt: (r) => (r.value?.createdAt ? Date.parse(r.value.createdAt) : undefined),
      matches: (r) => recordLinks(r.value ?? {}).some((l) => wanted.has(canonicalKey(l))),
    });
    return hit?.uri ? { postId: hit.uri, url: postUrl(hit.uri, session.handle) } : null;
  }

  /** The article image uploaded as a blob for the card's thumbnail; any failure leaves it out (and says why). */
  private async thumbnail(post: Post): Promise<BlobRef | undefined> {
    const url = post.article.image;
    if (!url) return undefined;
    const skip = (reason: string) => {
      try {
        this.args.onImageSkipped?.(reason, post);
      } catch {
        // Reporting the skip must not stop the post.
      }
      return undefined;
    };
    const got = await downloadImage(url, {
      timeoutMs: this.args.options.timeoutMs,
      maxBytes: MAX_THUMB_BYTES,
      types: BLUESKY_IMAGE_TYPES,
      platform: 'Bluesky',
      policy: this.args.options.fetchPolicy,
    });
    if (!got.ok) return skip(got.reason);
    try {
      const { body } = await this.call('com.atproto.repo.uploadBlob', {
        operation: 'upload',
        method: 'POST',
        data: got.image.bytes,
        headers: { 'Content-Type': got.image.type },
        maxBodyLength: MAX_THUMB_BYTES + 1,
      });
      const blob = (body as { blob?: BlobRef } | undefined)?.blob;
      if (!blob?.ref?.$link) return skip('image upload failed: uploadBlob answered without a blob');
      return blob;
    } catch (err) {
      return skip(`image upload failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The record: the text with its facets (from the text as sent, so an edited text gets its own), the card. */
  private record(post: Post, thumb: BlobRef | undefined): PostRecord {
    const facets = detectFacets(post.text);
    const { title, description } = post.article;
    const langs = this.args.settings.langs;
    return {
      $type: POST_COLLECTION,
      text: post.text,
      createdAt: new Date(this.now()).toISOString(),
      ...(langs?.length ? { langs } : {}),
      ...(facets.length ? { facets } : {}),
      ...(post.link
        ? {
            embed: {
              $type: EXTERNAL_EMBED,
              external: {
                uri: post.link,
                title,
                description: description ?? '',
                ...(thumb ? { thumb } : {}),
              },
            },
          }
        : {}),
    };
  }

  async publish(post: Post): Promise<PublishedRef> {
    // No duplicate check on Bluesky's side: the account's latest posts are the only guard against a second copy.
    const existing = await this.lookUp(post, {});
    if (existing)
      throw new PlatformFailure({
        kind: 'duplicate',
        platform: 'bluesky',
        code: 'already-posted',
        message: `Bluesky already has this post (${existing.postId})`,
        existing,
      });
    const thumb = await this.thumbnail(post);
    const session = await this.sessions.get();
    const { answer } = await this.xrpc('com.atproto.repo.createRecord', {
      operation: 'create',
      method: 'POST',
      data: { repo: session.did, collection: POST_COLLECTION, record: this.record(post, thumb) },
    });
    if (answer.status < 200 || answer.status >= 300) throw this.http.failure(answer, 'create');
    const uri = (answer.body as Partial<CreateRecordResponse> | undefined)?.uri;
    if (typeof uri !== 'string' || !parseAtUri(uri))
      throw this.http.unexpected(answer, 'create', 'the record URI');
    return { postId: uri, url: postUrl(uri, session.handle) };
  }

  async delete(postId: string): Promise<DeleteResult> {
    const at = parseAtUri(postId);
    const session = await this.sessions.get();
    if (!at || (at.repo !== session.did && at.repo !== session.handle))
      throw new PlatformFailure({
        kind: 'invalid',
        platform: 'bluesky',
        code: 'not-author',
        message: `${postId} is not a post of ${session.handle} (${session.did})`,
      });
    const ref = { repo: session.did, collection: at.collection, rkey: at.rkey };
    const { answer } = await this.xrpc('com.atproto.repo.getRecord', {
      operation: 'read',
      method: 'GET',
      params: ref,
    });
    if (answer.status === 400 && xrpcError(answer.body).error === 'RecordNotFound')
      return { postId, outcome: 'already-gone' };
    if (answer.status !== 200) throw this.http.failure(answer, 'read');
    await this.call('com.atproto.repo.deleteRecord', { operation: 'delete', method: 'POST', data: ref });
    return { postId, outcome: 'deleted' };
  }
}
