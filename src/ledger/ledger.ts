import type { Redis } from 'ioredis';
import type { FailureKind, PublishedRef } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import { redisKeys } from '../queue/keys.js';

/**
 * The exactly-once record of each post, keyed by (article, platform, account).
 *
 *   pending → sending → posted (postId, url) | failed (why) | unconfirmed
 *   awaiting-approval → pending (approved) | cancelled (rejected)     (accounts/sources with approval: required)
 *   posted → retracted (deleted on the platform by the operator; never posted again)
 *
 * Workers read it before every API call (`claim`) and write it right after. A worker that dies between the
 * call and the write leaves `sending`: the next attempt sees it and reconciles with the platform instead of
 * posting again.
 */
export const LEDGER_STATES = [
  'pending',
  'sending',
  'posted',
  'failed',
  'unconfirmed',
  'cancelled',
  'awaiting-approval',
  'retracted',
] as const;
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
  /** When an operator last edited the text: corrections of the article no longer overwrite it. */
  editedAt?: string;
  /** The article was corrected after the operator's edit (ISO, when): "article changed since your edit". */
  articleChangedAt?: string;
  /** When the post was deleted on its platform by the operator (state retracted). */
  retractedAt?: string;
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

// KEYS[1] entry; ARGV[1] post JSON, ARGV[2] now, ARGV[3] the composed text. A post not sent yet takes the
// corrected text, unless the operator edited it: then it keeps the operator's text and, when the composer now
// writes something else than what the operator replaced, is marked as changed since the edit.
const CORRECT = `
local s = redis.call('HGET', KEYS[1], 'state')
if s ~= 'pending' and s ~= 'awaiting-approval' then return 'not-pending' end
local edited = redis.call('HGET', KEYS[1], 'editedAt')
if edited and edited ~= '' then
  if redis.call('HGET', KEYS[1], 'composedText') == ARGV[3] then return 'same' end
  redis.call('HSET', KEYS[1], 'articleChangedAt', ARGV[2], 'composedText', ARGV[3], 'updatedAt', ARGV[2])
  return 'kept'
end
redis.call('HSET', KEYS[1], 'post', ARGV[1], 'updatedAt', ARGV[2])
return 'updated'
`;

// KEYS[1] entry; ARGV[1] post JSON, ARGV[2] now, ARGV[3..] states that allow the edit. Returns the state or 0.
const EDIT = `
local s = redis.call('HGET', KEYS[1], 'state')
if not s then return 0 end
for i = 3, #ARGV do
  if ARGV[i] == s then
    local prev = redis.call('HGET', KEYS[1], 'editedAt')
    if not prev or prev == '' then
      redis.call('HSET', KEYS[1], 'composedText', cjson.decode(redis.call('HGET', KEYS[1], 'post')).text)
    end
    redis.call('HSET', KEYS[1], 'post', ARGV[1], 'editedAt', ARGV[2], 'articleChangedAt', '', 'updatedAt', ARGV[2])
    return s
  end
end
return 0
`;

// KEYS[1] entry; ARGV[1] from, ARGV[2] to, ARGV[3..] field/value pairs. Returns 1 when moved.
const TRANSITION = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], unpack(ARGV, 3))
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
    extra: { at?: string; jobId?: string; correlationId?: string; awaitingApproval?: boolean } = {},
  ): Promise<LedgerEntry | null> {
    const ref = { articleId: post.articleId, platform: post.platform, account: post.account };
    const key = this.key(ref);
    const now = new Date().toISOString();
    const entry: LedgerEntry = {
      // An account or source with approval: required: the post waits for an operator before anything sends it.
      state: extra.awaitingApproval ? 'awaiting-approval' : 'pending',
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

  /**
   * Replaces the text of a post that has not been sent yet (article corrected). A post the operator edited
   * keeps the operator's text: it is only marked "article changed since your edit". Returns what happened.
   */
  async updatePendingPost(post: Post): Promise<boolean> {
    return (await this.correctPost(post)) === 'updated';
  }

  /** As updatePendingPost, telling an edited post ("kept") from one not waiting any more ("not-pending"). */
  async correctPost(post: Post): Promise<'updated' | 'kept' | 'same' | 'not-pending'> {
    const ref = { articleId: post.articleId, platform: post.platform, account: post.account };
    const r = await this.redis.eval(
      CORRECT,
      1,
      this.key(ref),
      JSON.stringify(post),
      new Date().toISOString(),
      post.text,
    );
    return r as 'updated' | 'kept' | 'same' | 'not-pending';
  }

  /**
   * The operator's text replaces the post's, atomically and only while the post is in one of `states`
   * (never once it is being sent). Returns the state it was in, or null when it was in none of them.
   */
  async editPost(ref: LedgerRef, post: Post, states: readonly LedgerState[]): Promise<LedgerState | null> {
    const r = await this.redis.eval(
      EDIT,
      1,
      this.key(ref),
      JSON.stringify(post),
      new Date().toISOString(),
      ...states,
    );
    return r === 0 || r === null ? null : (r as LedgerState);
  }

  /** Moves the entry from one state to another atomically; false when it was not in `from`. */
  async transition(
    ref: LedgerRef,
    from: LedgerState,
    to: LedgerState,
    fields: Record<string, string> = {},
  ): Promise<boolean> {
    const pairs = Object.entries({ ...fields, updatedAt: new Date().toISOString() }).flat();
    return (await this.redis.eval(TRANSITION, 1, this.key(ref), from, to, ...pairs)) === 1;
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
    editedAt: h.editedAt || undefined,
    articleChangedAt: h.articleChangedAt || undefined,
    retractedAt: h.retractedAt || undefined,
    jobId: h.jobId || undefined,
    correlationId: h.correlationId || undefined,
    createdAt: h.createdAt ?? '',
    updatedAt: h.updatedAt ?? '',
  };
}
