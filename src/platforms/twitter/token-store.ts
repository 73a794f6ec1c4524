import type { StoredTokens, TokenStore } from '../adapter.js';

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
