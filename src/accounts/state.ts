import type { Redis } from 'ioredis';
import type { QuotaReading } from '../platforms/adapter.js';
import { redisKeys } from '../queue/keys.js';

/**
 * Per-account health, shared by all workers through Redis.
 * - ok
 * - rate-limited until T (jobs wait, no attempt used)
 * - needs-attention (auth problem: jobs are held until the credentials change)
 * - paused (operator: jobs wait, nothing is dropped)
 */
export type AccountHealth = 'ok' | 'rate-limited' | 'needs-attention' | 'paused';

export interface AccountState {
  account: string;
  health: AccountHealth;
  /** rate-limited: epoch ms when the limit lifts. */
  until?: number;
  reason?: string;
  /** What the operator should do. */
  action?: string;
  /** needs-attention: fingerprint of the credentials that failed; new credentials resume the account. */
  fingerprint?: string;
  paused?: boolean;
  updatedAt?: string;
  /** What the last worker that started saw: whether it had this account's credentials. */
  worker?: { ready: boolean; reason?: string; at: string };
  /** The platform's own quota counters, as its latest answer reported them. */
  quota?: QuotaReading;
}

function parseQuota(raw: string | undefined): QuotaReading | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as QuotaReading;
  } catch {
    return undefined;
  }
}

/** The account's state as its hash in Redis says (`<prefix>:account:<id>`), at `now`. */
export function accountStateOf(account: string, h: Record<string, string>, now = Date.now()): AccountState {
  const paused = h.paused === 'true';
  const until = h.until ? Number(h.until) : undefined;
  let health: AccountHealth = 'ok';
  if (h.attention) health = 'needs-attention';
  else if (until && until > now) health = 'rate-limited';
  if (paused) health = 'paused';
  return {
    account,
    health,
    until: until && until > now ? until : undefined,
    reason: h.attention || (until && until > now ? h.limitReason : undefined) || undefined,
    action: h.attention ? h.action || undefined : undefined,
    fingerprint: h.fingerprint || undefined,
    paused,
    updatedAt: h.updatedAt,
    worker: h.workerAt
      ? { ready: h.workerReady === 'true', reason: h.workerReason || undefined, at: h.workerAt }
      : undefined,
    quota: parseQuota(h.quota),
  };
}

export class AccountStates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(account: string) {
    return redisKeys(this.prefix).account(account);
  }

  async get(account: string, now = Date.now()): Promise<AccountState> {
    return accountStateOf(account, await this.redis.hgetall(this.key(account)), now);
  }

  /**
   * A worker records, at start, whether it can post for the account, so `crier status` run from a shell
   * without the secrets still tells the truth.
   */
  async recordWorker(account: string, ready: boolean, reason?: string): Promise<void> {
    await this.redis.hset(this.key(account), {
      workerReady: String(ready),
      workerReason: reason ?? '',
      workerAt: new Date().toISOString(),
    });
  }

  async recordQuota(account: string, quota: QuotaReading): Promise<void> {
    await this.redis.hset(this.key(account), { quota: JSON.stringify(quota) });
  }

  async setRateLimited(account: string, until: number, reason: string): Promise<void> {
    // Keep the later of two limits (X's 15-minute and 24-hour windows can both apply).
    const cur = Number((await this.redis.hget(this.key(account), 'until')) ?? 0);
    await this.redis.hset(this.key(account), {
      until: String(Math.max(cur, until)),
      limitReason: reason,
      updatedAt: new Date().toISOString(),
    });
  }

  /** Returns true the first time (so the caller logs the problem once). */
  async setNeedsAttention(
    account: string,
    reason: string,
    action: string,
    fingerprint: string,
  ): Promise<boolean> {
    const key = this.key(account);
    const prev = await this.redis.hget(key, 'fingerprint');
    await this.redis.hset(key, {
      attention: reason,
      action,
      fingerprint,
      updatedAt: new Date().toISOString(),
    });
    return prev !== fingerprint;
  }

  /**
   * The operator (or new credentials) resumed the account. `resumedAt` is kept: an auth failure of an attempt
   * that started before it is stale and does not hold the account again (src/ledger/ledger.ts, settle).
   */
  async clearAttention(account: string): Promise<void> {
    await this.redis
      .multi()
      .hdel(this.key(account), 'attention', 'action', 'fingerprint')
      .hset(this.key(account), 'resumedAt', String(Date.now()))
      .exec();
  }

  async setPaused(account: string, paused: boolean): Promise<void> {
    await this.redis.hset(this.key(account), { paused: String(paused), updatedAt: new Date().toISOString() });
  }
}
