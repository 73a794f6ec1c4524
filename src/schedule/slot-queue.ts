import type { Redis } from 'ioredis';
import type { PublishJobData } from '../queue/job-data.js';
import { redisKeys } from '../queue/keys.js';

/** A post waiting for one of its account's posting slots. */
export interface WaitingPost {
  item: PublishJobData;
  /** Epoch ms when it joined the queue (its place in line). */
  addedAt: number;
}

/** What a posting slot got from the queue. */
export type TakeResult =
  | { status: 'taken'; item: PublishJobData; addedAt: number; previousPostAt: number | null }
  | { status: 'empty' }
  | { status: 'min-gap'; lastPostAt: number };

// KEYS[1] order zset, KEYS[2] items hash, KEYS[3] accounts set; ARGV[1] score, ARGV[2] article id,
// ARGV[3] item JSON, ARGV[4] account. First add wins: the article keeps its place and data. Returns 1 if added.
const ADD = `
if redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
return 1
`;

// KEYS[1] order zset, KEYS[2] items hash, KEYS[3] last-post key; ARGV[1] this slot's post time (ms),
// ARGV[2] minimum gap (ms). Pops the oldest item unless the account posted less than the gap ago. A second take
// at the SAME post time passes the gap check (the caller drops a stale item and takes the next one).
// Returns {'empty'} | {'min-gap', last} | {'taken', json, score, previousLast or ''}.
const TAKE = `
if redis.call('ZCARD', KEYS[1]) == 0 then return {'empty'} end
local last = redis.call('GET', KEYS[3])
local now = tonumber(ARGV[1])
if last and tonumber(last) ~= now and now - tonumber(last) < tonumber(ARGV[2]) then return {'min-gap', last} end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #head == 0 then return {'empty'} end
  redis.call('ZREM', KEYS[1], head[1])
  local json = redis.call('HGET', KEYS[2], head[1])
  redis.call('HDEL', KEYS[2], head[1])
  if json then
    redis.call('SET', KEYS[3], ARGV[1])
    return {'taken', json, head[2], last or ''}
  end
end
`;

// KEYS[1] last-post key; ARGV[1] the post time a take wrote, ARGV[2] the value before it ('' = none).
// Undoes a take that ended up posting nothing, unless a later slot has written since.
const RESTORE_LAST = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`;

// KEYS[1] order zset, KEYS[2] items hash. Flat {articleId, score, json, ...}, oldest first. A script keeps the reply
// flat whatever protocol the client speaks (ioredis 6 defaults to RESP3, where WITHSCORES replies are pairs).
const LIST = `
local out = {}
local flat = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #flat, 2 do
  local json = redis.call('HGET', KEYS[2], flat[i])
  if json then
    out[#out + 1] = flat[i]
    out[#out + 1] = flat[i + 1]
    out[#out + 1] = json
  end
end
return out
`;

/**
 * The publishing queue of `slots`-mode accounts: composed posts wait here, and each posting slot sends the
 * OLDEST one. One Redis sorted set per account (member = article id, score = time added) plus a hash with the
 * publish job data; adding an article twice keeps its first place.
 *
 * Keys: `<prefix>:slots:<account>`, `<prefix>:slots:<account>:items`, `<prefix>:slots:<account>:last-post`
 * (epoch ms of the account's last slot post, for the minimum gap) and the index `<prefix>:slots-accounts`.
 */
export class SlotQueue {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private orderKey(account: string) {
    return redisKeys(this.prefix).slots(account);
  }
  private itemsKey(account: string) {
    return redisKeys(this.prefix).slotItems(account);
  }
  private lastPostKey(account: string) {
    return redisKeys(this.prefix).slotLastPost(account);
  }
  private get accountsKey() {
    return redisKeys(this.prefix).slotAccounts;
  }

  /** Queues a post for its account's next slot; a second add of the same article is ignored (returns false). */
  async add(item: PublishJobData, addedAt = Date.now()): Promise<boolean> {
    const added = await this.redis.eval(
      ADD,
      3,
      this.orderKey(item.account),
      this.itemsKey(item.account),
      this.accountsKey,
      String(addedAt),
      item.articleId,
      JSON.stringify(item),
      item.account,
    );
    return added === 1;
  }

  /** The post the account's next slot would send. */
  async oldest(account: string): Promise<PublishJobData | null> {
    const [head] = await this.redis.zrange(this.orderKey(account), 0, '0');
    if (head === undefined) return null;
    const json = await this.redis.hget(this.itemsKey(account), head);
    return json ? (JSON.parse(json) as PublishJobData) : null;
  }

  /** Takes an article out of the queue (cancelled, or posted some other way). True if it was waiting. */
  async remove(account: string, articleId: string): Promise<boolean> {
    const [removed] = (await this.redis
      .multi()
      .zrem(this.orderKey(account), articleId)
      .hdel(this.itemsKey(account), articleId)
      .exec()) as [[Error | null, number], [Error | null, number]];
    return removed[1] === 1;
  }

  /** Waiting posts, oldest first: one account's, or every account's (accounts in name order). */
  async list(account?: string): Promise<WaitingPost[]> {
    const accounts = account ? [account] : (await this.redis.smembers(this.accountsKey)).sort();
    const out: WaitingPost[] = [];
    for (const a of accounts) {
      const flat = (await this.redis.eval(LIST, 2, this.orderKey(a), this.itemsKey(a))) as string[];
      for (let i = 0; i + 2 < flat.length; i += 3) {
        out.push({ item: JSON.parse(flat[i + 2]!) as PublishJobData, addedAt: Number(flat[i + 1]) });
      }
    }
    return out;
  }

  /** How many posts wait for the account's slots. */
  count(account: string): Promise<number> {
    return this.redis.zcard(this.orderKey(account));
  }

  /** Epoch ms of the account's last slot post, or null. */
  async lastPostAt(account: string): Promise<number | null> {
    const v = await this.redis.get(this.lastPostKey(account));
    return v === null ? null : Number(v);
  }

  /**
   * For a posting slot: atomically pops the oldest post unless the account's last slot post is less than
   * `minGapMs` before `postAt`, and records `postAt` as the last post.
   */
  async take(account: string, postAt: number, minGapMs: number): Promise<TakeResult> {
    const r = (await this.redis.eval(
      TAKE,
      3,
      this.orderKey(account),
      this.itemsKey(account),
      this.lastPostKey(account),
      String(postAt),
      String(minGapMs),
    )) as string[];
    if (r[0] === 'min-gap') return { status: 'min-gap', lastPostAt: Number(r[1]) };
    if (r[0] !== 'taken' || r[1] === undefined) return { status: 'empty' };
    return {
      status: 'taken',
      item: JSON.parse(r[1]) as PublishJobData,
      addedAt: Number(r[2]),
      previousPostAt: r[3] ? Number(r[3]) : null,
    };
  }

  /** Undoes the last-post time a `take` wrote when the slot ended up posting nothing. */
  async restoreLastPost(account: string, postAt: number, previous: number | null): Promise<void> {
    await this.redis.eval(
      RESTORE_LAST,
      1,
      this.lastPostKey(account),
      String(postAt),
      previous === null ? '' : String(previous),
    );
  }

  /** Puts a taken post back in its old place (its publish job could not be queued). */
  async putBack(item: PublishJobData, addedAt: number): Promise<void> {
    await this.add(item, addedAt);
  }
}
