import type { Redis } from 'ioredis';
import type { PlatformName } from '../core/platform.js';
import { redisKeys } from '../queue/keys.js';
import type { StoredTokens, TokenStore } from './adapter.js';

/**
 * Where an adapter keeps tokens that rotate (X OAuth 2.0 refresh tokens) or sessions worth keeping (an
 * app-password session, which is expensive to create): in memory for tests and single runs, in Redis for every worker.
 */

/**
 * In-process token store: for tests, demos and single-process runs. A rotated refresh token kept
 * only here is lost when the process exits, so production uses `RedisTokenStore`.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredTokens>();

  async get(account: string): Promise<StoredTokens | null> {
    const t = this.tokens.get(account);
    return t ? { ...t } : null;
  }

  async swap(account: string, expectedRefreshToken: string | null, next: StoredTokens): Promise<boolean> {
    const current = this.tokens.get(account)?.refreshToken ?? null;
    if (current !== expectedRefreshToken) return false;
    this.tokens.set(account, { ...next });
    return true;
  }
}

/**
 * Compare-and-swap of one account's tokens, atomic in Redis.
 *   KEYS[1]  hash of the account's tokens (fields accessToken, refreshToken, expiresAt)
 *   ARGV[1]  expected refresh token, "" when nothing should be stored yet
 *   ARGV[2]  new access token, ARGV[3] new refresh token, ARGV[4] new expiresAt (epoch ms), ARGV[5] origin
 * Returns 1 when swapped, 0 when another worker rotated the refresh token first.
 */
const SWAP = `
local current = redis.call('HGET', KEYS[1], 'refreshToken')
if (current == false and ARGV[1] ~= '') or (current ~= false and current ~= ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'accessToken', ARGV[2], 'refreshToken', ARGV[3], 'expiresAt', ARGV[4], 'origin', ARGV[5])
return 1
`;

/** One platform's tokens shared by every worker: `<prefix>:<platform>:tokens:<account>`. */
export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly platform: PlatformName,
  ) {}

  private key(account: string): string {
    return redisKeys(this.prefix).platformTokens(this.platform, account);
  }

  async get(account: string): Promise<StoredTokens | null> {
    const h = await this.redis.hgetall(this.key(account));
    if (!h.refreshToken) return null;
    return {
      accessToken: h.accessToken ?? '',
      refreshToken: h.refreshToken,
      expiresAt: Number(h.expiresAt ?? 0),
      origin: h.origin || undefined,
    };
  }

  async swap(account: string, expectedRefreshToken: string | null, next: StoredTokens): Promise<boolean> {
    if (!next.refreshToken) throw new Error('RedisTokenStore.swap: next.refreshToken must not be empty');
    const done = await this.redis.eval(
      SWAP,
      1,
      this.key(account),
      expectedRefreshToken ?? '',
      next.accessToken,
      next.refreshToken,
      String(next.expiresAt),
      next.origin ?? '',
    );
    return done === 1;
  }
}
