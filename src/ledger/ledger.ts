import type { Redis } from 'ioredis';
import type { FailureKind, PublishedRef } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import type { QuotaReading } from '../platforms/adapter.js';
import { redisKeys } from '../queue/keys.js';
import { publishJobId } from '../queue/names.js';
import { LuaScript } from '../queue/scripts.js';

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
  /** When the first attempt that may have created the post claimed it (ISO): a look-up covers every post since. */
  claimedAt?: string;
  /** The process whose attempt set `sending`, and when (epoch ms). */
  sender?: string;
  sendingAt?: number;
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
  | { ok: true; previous: LedgerState; claimedAt: string }
  | { ok: false; state: LedgerState; entry: LedgerEntry | null };

/** States of a post that is not finished: the reconciler looks for these without a live job. */
export const OPEN_STATES: ReadonlySet<LedgerState> = new Set(['pending', 'sending', 'unconfirmed']);

// Writes field/value pairs from ARGV[from] on: an empty value deletes its field (an entry keeps only the fields
// it has: a compact hash, see docs/operations.md).
const PUT = `
local function put(key, from)
  local set, del = {}, {}
  for i = from, #ARGV, 2 do
    if ARGV[i + 1] == '' then del[#del + 1] = ARGV[i] else set[#set + 1] = ARGV[i]; set[#set + 1] = ARGV[i + 1] end
  end
  if #set > 0 then redis.call('HSET', key, unpack(set)) end
  if #del > 0 then redis.call('HDEL', key, unpack(del)) end
end
`;

// KEYS[1] entry hash, KEYS[2] open index; ARGV[1] now ISO, ARGV[2] now ms, ARGV[3] the claiming process.
// Moves pending|unconfirmed|sending → sending, records who sends and since when (`sender`, `sendingAt` ms),
// and returns {previous state, claimedAt}. `claimedAt` is when the first attempt that may have created the
// post claimed it: set when leaving pending, kept while the post may exist (a look-up covers everything since).
// Returns {"missing"} when there is no entry, or {"!<state>"} when the state forbids a call (posted, failed, …).
const CLAIM = new LuaScript(
  'ledger_claim',
  `
local s = redis.call('HGET', KEYS[1], 'state')
if not s then return {'missing'} end
if s == 'pending' or s == 'unconfirmed' or s == 'sending' then
  local claimed = redis.call('HGET', KEYS[1], 'claimedAt')
  if s == 'pending' then claimed = ARGV[1]
  elseif not claimed or claimed == '' then claimed = redis.call('HGET', KEYS[1], 'createdAt') or ARGV[1] end
  redis.call('HSET', KEYS[1], 'state', 'sending', 'updatedAt', ARGV[1], 'claimedAt', claimed,
    'sender', ARGV[3], 'sendingAt', ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
  return {s, claimed}
end
return {'!' .. s}
`,
  2,
);

// KEYS[1] entry hash, KEYS[2] index, KEYS[3] open index; ARGV[1] retention s, ARGV[2] now ms, ARGV[3] "1" when
// the new entry is open (pending; not awaiting approval), ARGV[4..] field/value pairs. Creates the entry whole,
// or nothing when one exists. Returns 1 when created, else the existing entry (HGETALL).
const CREATE = new LuaScript(
  'ledger_create',
  `
local existing = redis.call('HGETALL', KEYS[1])
if #existing > 0 then return existing end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], ARGV[2], KEYS[1]) end
return 1
`,
  3,
);

// KEYS[1] entry hash, KEYS[2] index, KEYS[3] open index; ARGV[1] retention s, ARGV[2] now ms, ARGV[3] "1" when
// the entry is open after this change, ARGV[4..] field/value pairs. Changes an existing entry (a missing one,
// expired or never composed, stays missing: returns 0).
const SET = new LuaScript(
  'ledger_set',
  `${PUT}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local now = tonumber(ARGV[2])
put(KEYS[1], 4)
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], 0, now - tonumber(ARGV[1]) * 1000)
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], now, KEYS[1])
elseif ARGV[3] == '0' then redis.call('ZREM', KEYS[3], KEYS[1]) end
return 1
`,
  3,
);

// One attempt's outcome in one step: the entry's new fields, the budget reservation given back, the account's
// new state. KEYS[1] entry, KEYS[2] index, KEYS[3] open index, KEYS[4] budget zset, KEYS[5] account hash.
// ARGV[1] retention s, ARGV[2] now ms, ARGV[3] "1"/"0" open after, ARGV[4] now ISO, ARGV[5] budget member to
// give back ('' keeps it), ARGV[6] account change ('' | rate-limited | needs-attention), ARGV[7] until ms,
// ARGV[8] reason, ARGV[9] operator action, ARGV[10] credentials fingerprint, ARGV[11] when the attempt started
// (ms), ARGV[12] the platform's quota reading (JSON, '' for none), ARGV[13..] entry field/value pairs. The account fields are AccountStates' (src/accounts/state.ts); a rate
// limit keeps the later of two; an auth failure of an attempt that started before the operator resumed the
// account ("crier resume") is stale and does not hold the account again.
// Returns -1 when the entry is gone, 1 when the account newly needs attention (log it once), else 0.
const SETTLE = new LuaScript(
  'ledger_settle',
  `${PUT}
if ARGV[12] ~= '' then redis.call('HSET', KEYS[5], 'quota', ARGV[12]) end
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local now = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
put(KEYS[1], 13)
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], 0, now - tonumber(ARGV[1]) * 1000)
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], now, KEYS[1]) else redis.call('ZREM', KEYS[3], KEYS[1]) end
if ARGV[5] ~= '' then redis.call('ZREM', KEYS[4], ARGV[5]) end
if ARGV[6] == 'rate-limited' then
  local cur = tonumber(redis.call('HGET', KEYS[5], 'until') or '0') or 0
  if tonumber(ARGV[7]) > cur then redis.call('HSET', KEYS[5], 'until', ARGV[7]) end
  redis.call('HSET', KEYS[5], 'limitReason', ARGV[8], 'updatedAt', ARGV[4])
elseif ARGV[6] == 'needs-attention' then
  local resumed = tonumber(redis.call('HGET', KEYS[5], 'resumedAt') or '0') or 0
  if resumed > tonumber(ARGV[11]) then return 0 end
  local prev = redis.call('HGET', KEYS[5], 'fingerprint')
  redis.call('HSET', KEYS[5], 'attention', ARGV[8], 'action', ARGV[9], 'fingerprint', ARGV[10], 'updatedAt', ARGV[4])
  if prev ~= ARGV[10] then return 1 end
end
return 0
`,
  5,
);

// KEYS[1] entry; ARGV[1] post JSON, ARGV[2] now, ARGV[3] the composed text. A post not sent yet takes the
// corrected text, unless the operator edited it: then it keeps the operator's text and, when the composer now
// writes something else than what the operator replaced, is marked as changed since the edit.
const CORRECT = new LuaScript(
  'ledger_correct',
  `
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
`,
  1,
);

// KEYS[1] entry; ARGV[1] post JSON, ARGV[2] now, ARGV[3..] states that allow the edit. Returns the state or 0.
const EDIT = new LuaScript(
  'ledger_edit',
  `
local s = redis.call('HGET', KEYS[1], 'state')
if not s then return 0 end
for i = 3, #ARGV do
  if ARGV[i] == s then
    local prev = redis.call('HGET', KEYS[1], 'editedAt')
    if not prev or prev == '' then
      redis.call('HSET', KEYS[1], 'composedText', cjson.decode(redis.call('HGET', KEYS[1], 'post')).text)
    end
    redis.call('HSET', KEYS[1], 'post', ARGV[1], 'editedAt', ARGV[2], 'updatedAt', ARGV[2])
    redis.call('HDEL', KEYS[1], 'articleChangedAt')
    return s
  end
end
return 0
`,
  1,
);

/** What one attempt's outcome changes, written in one step by `Ledger.settle`. */
export interface Settlement {
  state: LedgerState;
  kind?: FailureKind;
  error?: string;
  existing?: PublishedRef;
  duplicate?: boolean;
  /** Give the account's budget reservation of this member (the job id) back. */
  releaseBudget?: string;
  /** The platform's quota counters as its latest answer reported them (kept on the account's state). */
  quota?: QuotaReading;
  account?:
    | { health: 'rate-limited'; until: number; reason: string }
    | { health: 'needs-attention'; reason: string; action: string; fingerprint: string };
  /** When the attempt started (epoch ms): its auth failure is stale if the operator resumed the account since. */
  attemptStartedAt?: number;
}

// KEYS[1] entry, KEYS[2] open index; ARGV[1] from, ARGV[2] to, ARGV[3] "1" when `to` is an open state,
// ARGV[4] now ms, ARGV[5..] field/value pairs. Returns 1 when moved.
const TRANSITION = new LuaScript(
  'ledger_transition',
  `${PUT}
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
put(KEYS[1], 5)
if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], ARGV[4], KEYS[1]) else redis.call('ZREM', KEYS[2], KEYS[1]) end
return 1
`,
  2,
);

// The first step of an attempt, in one round trip: the entry (HGETALL) and its account's state (HGETALL), and,
// when the caller allows it (ARGV[4] "1": nothing else stands between reading and claiming: no dry run, no
// budget, no withdrawal check) and the entry is pending, not held, not planned, and its account is not paused,
// rate-limited or waiting for attention, the claim itself (pending → sending, as CLAIM does). KEYS[1] entry,
// KEYS[2] open index, KEYS[3] account hash; ARGV[1] now ISO, ARGV[2] now ms, ARGV[3] the claiming process.
// Returns {entry, account, previous state ('' when not claimed), claimedAt}.
const BEGIN = new LuaScript(
  'ledger_begin',
  `
local e = redis.call('HGETALL', KEYS[1])
local acct = redis.call('HGETALL', KEYS[3])
if ARGV[4] ~= '1' or #e == 0 then return {e, acct, ''} end
local h, a = {}, {}
for i = 1, #e, 2 do h[e[i]] = e[i + 1] end
for i = 1, #acct, 2 do a[acct[i]] = acct[i + 1] end
if h.state ~= 'pending' or (h.heldAt or '') ~= '' or (h.at or '') ~= '' then return {e, acct, ''} end
if a.paused == 'true' or (a.attention or '') ~= '' then return {e, acct, ''} end
if (tonumber(a['until'] or '0') or 0) > tonumber(ARGV[2]) then return {e, acct, ''} end
redis.call('HSET', KEYS[1], 'state', 'sending', 'updatedAt', ARGV[1], 'claimedAt', ARGV[1],
  'sender', ARGV[3], 'sendingAt', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
return {e, acct, 'pending', ARGV[1]}
`,
  3,
);

const SCRIPTS = [CLAIM, CREATE, SET, SETTLE, CORRECT, EDIT, TRANSITION, BEGIN];

/** What `begin` found: the entry, its account's state (raw hash), and the claim when it made it. */
export interface Begun {
  entry: LedgerEntry | null;
  account: Record<string, string>;
  claimed?: { previous: LedgerState; claimedAt: string };
}

/** A post to record as pending (`createPendingMany`). */
export interface PendingPost {
  post: Post;
  at?: string;
  jobId?: string;
  correlationId?: string;
  awaitingApproval?: boolean;
}

export class Ledger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionSeconds: number,
  ) {
    // Scripts by SHA: sent once per connection, then EVALSHA.
    for (const script of SCRIPTS) script.define(redis);
  }

  key(ref: LedgerRef): string {
    return redisKeys(this.prefix).ledger(ref.articleId, ref.platform, ref.account);
  }

  private get indexKey() {
    return redisKeys(this.prefix).ledgerIndex;
  }

  private get openKey() {
    return redisKeys(this.prefix).ledgerOpen;
  }

  async get(ref: LedgerRef): Promise<LedgerEntry | null> {
    return decode(await this.redis.hgetall(this.key(ref)));
  }

  /**
   * The entry and its account's state in one round trip; with `claim`, also the claim when nothing can stand in
   * its way (the entry pending, not held nor planned; the account not paused, rate-limited nor waiting for
   * attention). Otherwise the caller goes on as usual and claims with `claim`.
   */
  async begin(ref: LedgerRef, opts: { claim: boolean; sender?: string; now?: number }): Promise<Begun> {
    const now = opts.now ?? Date.now();
    const [e, acct, previous, claimedAt] = (await BEGIN.run(
      this.redis,
      this.key(ref),
      this.openKey,
      redisKeys(this.prefix).account(ref.account),
      new Date(now).toISOString(),
      now,
      opts.sender ?? '',
      opts.claim ? '1' : '0',
    )) as [string[], string[], string, string?];
    return {
      entry: decode(pairsToObject(e)),
      account: pairsToObject(acct),
      claimed: previous ? { previous: previous as LedgerState, claimedAt: claimedAt ?? '' } : undefined,
    };
  }

  /**
   * Records a composed post as pending unless an entry already exists. Returns the existing entry when there is
   * one (the caller then decides: a pending entry may take a corrected text; a posted one is never touched).
   */
  async createPending(
    post: Post,
    extra: { at?: string; jobId?: string; correlationId?: string; awaitingApproval?: boolean } = {},
  ): Promise<LedgerEntry | null> {
    return (await this.createPendingMany([{ post, ...extra }]))[0] ?? null;
  }

  /** `createPending` for several posts (an article's, one per account) in one round trip, in order. */
  async createPendingMany(items: PendingPost[]): Promise<Array<LedgerEntry | null>> {
    if (items.length === 0) return [];
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const pipeline = this.redis.pipeline();
    for (const item of items) {
      const { post } = item;
      const entry: LedgerEntry = {
        // An account or source with approval: required: the post waits for an operator before anything sends it.
        state: item.awaitingApproval ? 'awaiting-approval' : 'pending',
        articleId: post.articleId,
        articleKey: post.articleKey,
        platform: post.platform,
        account: post.account,
        post,
        at: item.at,
        jobId: item.jobId,
        correlationId: item.correlationId,
        createdAt: now,
        updatedAt: now,
      };
      CREATE.queue(
        pipeline,
        this.key(post),
        this.indexKey,
        this.openKey,
        this.retentionSeconds,
        nowMs,
        OPEN_STATES.has(entry.state) ? '1' : '0',
        ...Object.entries(encode(entry)).flat(),
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, r]) => {
      if (err) throw err;
      return r === 1 ? null : decode(pairsToObject(r as string[]));
    });
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
    const r = await CORRECT.run(
      this.redis,
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
    const r = await EDIT.run(
      this.redis,
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
    const now = Date.now();
    const pairs = Object.entries({ ...fields, updatedAt: new Date(now).toISOString() }).flat();
    const open = OPEN_STATES.has(to) ? '1' : '0';
    return (
      (await TRANSITION.run(this.redis, this.key(ref), this.openKey, from, to, open, now, ...pairs)) === 1
    );
  }

  /**
   * How many replicas have this connection's writes (a claim) within `timeoutMs` (WAIT: it counts the writes
   * of the connection it is sent on, so it goes on the ledger's own).
   */
  async replicated(replicas: number, timeoutMs: number): Promise<number> {
    return Number(await this.redis.wait(replicas, timeoutMs));
  }

  /** Claims the entry for one attempt of `sender` (a process id, see src/queue/process-beat.ts). */
  async claim(ref: LedgerRef, sender = ''): Promise<ClaimResult> {
    const now = Date.now();
    const [r, claimedAt] = (await CLAIM.run(
      this.redis,
      this.key(ref),
      this.openKey,
      new Date(now).toISOString(),
      now,
      sender,
    )) as [string, string?];
    if (r === 'missing') return { ok: false, state: 'cancelled', entry: null };
    if (r.startsWith('!')) return { ok: false, state: r.slice(1) as LedgerState, entry: await this.get(ref) };
    return { ok: true, previous: r as LedgerState, claimedAt: claimedAt ?? new Date(now).toISOString() };
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

  /**
   * Records an attempt's outcome, the budget given back, the platform's quota reading and the account's new
   * state in one atomic step. Returns `firstAttention` when the account newly needs attention (the caller logs
   * that once), and `gone` when the entry no longer exists (cancelled and expired meanwhile).
   */
  async settle(ref: LedgerRef, s: Settlement): Promise<{ firstAttention: boolean; gone: boolean }> {
    const keys = redisKeys(this.prefix);
    const now = Date.now();
    const fields: Record<string, string> = { state: s.state, kind: s.kind ?? '', error: s.error ?? '' };
    if (s.state === 'posted') {
      fields.postId = s.existing?.postId ?? '';
      fields.url = s.existing?.url ?? '';
      fields.duplicate = s.duplicate ? 'true' : '';
    }
    // Who was sending, and since when, matters only while the post may still be on its way.
    if (!OPEN_STATES.has(s.state)) Object.assign(fields, { sender: '', sendingAt: '' });
    const a = s.account;
    const r = Number(
      await SETTLE.run(
        this.redis,
        this.key(ref),
        this.indexKey,
        this.openKey,
        keys.budget(ref.account),
        keys.account(ref.account),
        this.retentionSeconds,
        now,
        OPEN_STATES.has(s.state) ? '1' : '0',
        new Date(now).toISOString(),
        s.releaseBudget ?? '',
        a?.health ?? '',
        a?.health === 'rate-limited' ? a.until : 0,
        a?.reason ?? '',
        a?.health === 'needs-attention' ? a.action : '',
        a?.health === 'needs-attention' ? a.fingerprint : '',
        s.attemptStartedAt ?? now,
        s.quota ? JSON.stringify(s.quota) : '',
        ...Object.entries(fields).flat(),
      ),
    );
    return { firstAttention: r === 1, gone: r === -1 };
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
    const now = Date.now();
    const open = fields.state === undefined ? '' : OPEN_STATES.has(fields.state as LedgerState) ? '1' : '0';
    const pairs = Object.entries({ ...fields, updatedAt: new Date(now).toISOString() }).flat();
    // Entries expire on their own; their index members go once they are older than the retention.
    await SET.run(
      this.redis,
      this.key(ref),
      this.indexKey,
      this.openKey,
      this.retentionSeconds,
      now,
      open,
      ...pairs,
    );
  }

  /**
   * Keys of the entries not finished (pending, sending, unconfirmed) whose last change is older than
   * `olderThan` (epoch ms), oldest first; entries that expired meanwhile leave the index.
   */
  async open(olderThan: number, limit = 500): Promise<LedgerEntry[]> {
    const keys = await this.redis.zrangebyscore(this.openKey, '-inf', olderThan, 'LIMIT', 0, limit);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hgetall(k);
    const replies = (await pipeline.exec()) ?? [];
    const out: LedgerEntry[] = [];
    const gone: string[] = [];
    keys.forEach((k, i) => {
      const e = decode((replies[i]?.[1] ?? {}) as Record<string, string>);
      if (e && OPEN_STATES.has(e.state)) out.push(e);
      else gone.push(k);
    });
    if (gone.length) await this.redis.zrem(this.openKey, ...gone);
    return out;
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

/**
 * An entry as a compact hash: empty fields are left out, and so is what the post already says (its article,
 * platform and account) and the job id when it is the post's own (`post-<article>-<account>`).
 */
function encode(e: LedgerEntry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined || v === '') continue;
    if (k === 'articleId' || k === 'platform' || k === 'account') continue;
    if (k === 'articleKey' && v === e.post.articleKey) continue;
    if (k === 'jobId' && v === publishJobId(e.articleId, e.account)) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function pairsToObject(flat: string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!flat) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** Reads an entry of either layout: the compact one, or the full one of entries written before it. */
function decode(h: Record<string, string>): LedgerEntry | null {
  if (!h.state || !h.post) return null;
  const post = JSON.parse(h.post) as Post;
  const articleId = h.articleId || post.articleId;
  const account = h.account || post.account;
  return {
    state: h.state as LedgerState,
    articleId,
    articleKey: h.articleKey || post.articleKey,
    platform: (h.platform || post.platform) as PlatformName,
    account,
    post,
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
    jobId: h.jobId || publishJobId(articleId, account),
    claimedAt: h.claimedAt || undefined,
    sender: h.sender || undefined,
    sendingAt: h.sendingAt ? Number(h.sendingAt) : undefined,
    correlationId: h.correlationId || undefined,
    createdAt: h.createdAt ?? '',
    updatedAt: h.updatedAt ?? '',
  };
}
