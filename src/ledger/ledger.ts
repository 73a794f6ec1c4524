import type { Redis } from 'ioredis';
import type { FailureKind, PublishedRef } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import { redisKeys } from '../queue/keys.js';

/**
 * The exactly-once record of each post, keyed by (article, platform, account).
 *
 *   pending → sending → posted (postId, url) | failed (why) | unconfirmed
 *
 * Workers read it before every API call (`claim`) and write it right after. A worker that dies between the
 * call and the write leaves `sending`: the next attempt sees it and reconciles with the platform instead of
 * posting again.
 */
export const LEDGER_STATES = ['pending', 'sending', 'posted', 'failed', 'unconfirmed', 'cancelled'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

export interface LedgerEntry {
  state: LedgerState;
  articleId: string;
  articleKey: string;
  platform: PlatformName;
  account: string;
  post: Post;
  postId?: string;
  url?: string;
  /** Failure kind of the last failed attempt. */
  kind?: FailureKind;
  error?: string;
  /** True when the platform said it already had this post. */
  duplicate?: boolean;
  /** When the post is planned for (ISO), when scheduled. */
  at?: string;
  /** Set (ISO, since when) while an operator holds the post: nothing sends it until it is released. */
  heldAt?: string;
  jobId?: string;
  /** Follows the article from ingest to each post, in every log line. */
  correlationId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerRef {
  articleId: string;
  platform: PlatformName;
  account: string;
}

/** Result of `claim`: may this attempt call the platform? */
export type ClaimResult =
  | { ok: true; previous: LedgerState }
  | { ok: false; state: LedgerState; entry: LedgerEntry | null };

// KEYS[1] entry hash; ARGV[1] now ISO. Moves pending|unconfirmed|sending → sending and returns the previous state.
// Returns "missing" when there is no entry, or "!<state>" when the state forbids a call (posted, failed, cancelled).
const CLAIM = `
local s = redis.call('HGET', KEYS[1], 'state')
if not s then return 'missing' end
if s == 'pending' or s == 'unconfirmed' or s == 'sending' then
  redis.call('HSET', KEYS[1], 'state', 'sending', 'updatedAt', ARGV[1])
  return s
end
return '!' .. s
`;

// KEYS[1] entry hash, KEYS[2] index; ARGV[1] retention s, ARGV[2] now ms, ARGV[3..] field/value pairs.
// Creates the entry whole, or nothing when one exists. Returns 1 when created.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
return 1
`;

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionSeconds: number,
  ) {}

  key(ref: LedgerRef): string {
    return redisKeys(this.prefix).ledger(ref.articleId, ref.platform, ref.account);
  }

  private get indexKey() {
    return redisKeys(this.prefix).ledgerIndex;
  }

  async get(ref: LedgerRef): Promise<LedgerEntry | null> {
    return decode(await this.redis.hgetall(this.key(ref)));
  }

  /**
   * Records a composed post as pending unless an entry already exists. Returns the existing entry when there is
   * one (the caller then decides: a pending entry may take a corrected text; a posted one is never touched).
   */
  async createPending(
    post: Post,
    extra: { at?: string; jobId?: string; correlationId?: string } = {},
  ): Promise<LedgerEntry | null> {
    const ref = { articleId: post.articleId, platform: post.platform, account: post.account };
    const key = this.key(ref);
    const now = new Date().toISOString();
    const entry: LedgerEntry = {
      state: 'pending',
      articleId: post.articleId,
      articleKey: post.articleKey,
      platform: post.platform,
      account: post.account,
      post,
      at: extra.at,
      jobId: extra.jobId,
      correlationId: extra.correlationId,
      createdAt: now,
      updatedAt: now,
    };
    const fields = Object.entries(encode(entry)).flat();
    const created = await this.redis.eval(
      CREATE,
      2,
      key,
      this.indexKey,
      this.retentionSeconds,
      Date.now(),
      ...fields,
    );
    if (created === 0) return this.get(ref);
    return null;
  }

  /** Replaces the text of a post that has not been sent yet (article corrected). */
  async updatePendingPost(post: Post): Promise<boolean> {
    const ref = { articleId: post.articleId, platform: post.platform, account: post.account };
    const e = await this.get(ref);
    if (e?.state !== 'pending') return false;
    await this.redis.hset(this.key(ref), 'post', JSON.stringify(post), 'updatedAt', new Date().toISOString());
    return true;
  }

  async claim(ref: LedgerRef): Promise<ClaimResult> {
    const r = (await this.redis.eval(CLAIM, 1, this.key(ref), new Date().toISOString())) as string;
    if (r === 'missing') return { ok: false, state: 'cancelled', entry: null };
    if (r.startsWith('!')) return { ok: false, state: r.slice(1) as LedgerState, entry: await this.get(ref) };
    return { ok: true, previous: r as LedgerState };
  }

  async markPosted(ref: LedgerRef, result: PublishedRef, opts: { duplicate?: boolean } = {}): Promise<void> {
    await this.set(ref, {
      state: 'posted',
      postId: result.postId,
      url: result.url,
      duplicate: opts.duplicate ? 'true' : '',
      error: '',
      kind: '',
    });
  }

  async markFailed(ref: LedgerRef, kind: FailureKind, error: string): Promise<void> {
    await this.set(ref, { state: 'failed', kind, error });
  }

  /** Back to pending after a failure that will be retried (the call certainly did not create the post). */
  async release(ref: LedgerRef, kind: FailureKind, error: string): Promise<void> {
    await this.set(ref, { state: 'pending', kind, error });
  }

  async markUnconfirmed(ref: LedgerRef, error: string): Promise<void> {
    await this.set(ref, { state: 'unconfirmed', kind: 'unconfirmed', error });
  }

  async setState(ref: LedgerRef, state: LedgerState, fields: Record<string, string> = {}): Promise<void> {
    await this.set(ref, { state, ...fields });
  }

  /** Changes fields other than the state (e.g. the planned time). */
  async annotate(ref: LedgerRef, fields: Record<string, string>): Promise<void> {
    await this.set(ref, fields);
  }

  private async set(ref: LedgerRef, fields: Record<string, string>): Promise<void> {
    const key = this.key(ref);
    await this.redis
      .multi()
      .hset(key, { ...fields, updatedAt: new Date().toISOString() })
      .expire(key, this.retentionSeconds)
      .zadd(this.indexKey, Date.now(), key)
      // Entries expire on their own; their index members go once they are older than the retention.
      .zremrangebyscore(this.indexKey, 0, Date.now() - this.retentionSeconds * 1000)
      .exec();
  }

  /** Most recently changed entries, newest first. */
  async recent(limit = 50): Promise<LedgerEntry[]> {
    const keys = await this.redis.zrevrange(this.indexKey, 0, limit * 4 - 1);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hgetall(k);
    const replies = (await pipeline.exec()) ?? [];
    const out: LedgerEntry[] = [];
    const stale: string[] = [];
    keys.forEach((k, i) => {
      const e = decode((replies[i]?.[1] ?? {}) as Record<string, string>);
      if (!e) stale.push(k);
      else if (out.length < limit) out.push(e);
    });
    if (stale.length) await this.redis.zrem(this.indexKey, ...stale);
    return out;
  }
}

function encode(e: LedgerEntry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function decode(h: Record<string, string>): LedgerEntry | null {
  if (!h.state || !h.post) return null;
  return {
    state: h.state as LedgerState,
    articleId: h.articleId ?? '',
    articleKey: h.articleKey ?? '',
    platform: h.platform as PlatformName,
    account: h.account ?? '',
    post: JSON.parse(h.post) as Post,
    postId: h.postId || undefined,
    url: h.url || undefined,
    kind: (h.kind || undefined) as FailureKind | undefined,
    error: h.error || undefined,
    duplicate: h.duplicate === 'true' || undefined,
    at: h.at || undefined,
    heldAt: h.heldAt || undefined,
    jobId: h.jobId || undefined,
    correlationId: h.correlationId || undefined,
    createdAt: h.createdAt ?? '',
    updatedAt: h.updatedAt ?? '',
  };
}
