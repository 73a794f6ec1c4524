import type { Redis } from 'ioredis';
import { redisKeys } from '../queue/keys.js';
import { LuaScript } from '../queue/scripts.js';

// KEYS[1] sorted set of reservations; ARGV: now ms, window ms, max, member.
// Returns 0 when reserved, else the epoch ms when the oldest reservation leaves the window.
const RESERVE = new LuaScript(
  'budget_reserve',
  `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 0 end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window
`,
  1,
);

/**
 * A per-account posting budget (e.g. X's free tier: 17 posts per 24 hours) over a sliding window, enforced in
 * Redis across all workers before any API call is made.
 */
export class PostingBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(account: string) {
    return redisKeys(this.prefix).budget(account);
  }

  /** Reserves one post for `member` (idempotent per member). Returns null when reserved, else when to try again. */
  async reserve(
    account: string,
    member: string,
    max: number,
    windowMs: number,
    now = Date.now(),
  ): Promise<number | null> {
    const r = Number(await RESERVE.run(this.redis, this.key(account), now, windowMs, max, member));
    return r === 0 ? null : r;
  }

  /** Gives a reservation back when the platform certainly did not take the post. */
  async release(account: string, member: string): Promise<void> {
    await this.redis.zrem(this.key(account), member);
  }

  async used(account: string, windowMs: number, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.key(account), now - windowMs, '+inf');
  }
}
