import { DEFAULT_MAX_CHARACTERS, type MastodonVisibility } from './api.js';

/**
 * Platform state of the Mastodon fake: accounts, tokens with scopes, statuses, idempotency keys and rate-limit
 * counters, all on the fake's clock. The behaviours the facts sheet leaves open are in `MastodonFakeConfig`.
 */
export interface MastodonFakeAccount {
  id: string;
  username: string;
  display_name: string;
}

export type TokenState = 'valid' | 'revoked' | 'expired';

export interface MastodonFakeToken {
  accountId: string;
  /** OAuth scopes: read, write, or the granular read:statuses, write:statuses, read:accounts, profile… */
  scopes: string[];
  state: TokenState;
}

export interface MastodonStoredStatus {
  id: string;
  accountId: string;
  /** The text as sent. */
  text: string;
  /** `content` as the API answers it (HTML). */
  content: string;
  visibility: MastodonVisibility;
  language: string | null;
  createdAt: number;
  /** The first http(s) link: the instance builds a card from it after `cardDelayMs`. */
  cardUrl?: string;
  /** The request body as received (JSON or form). */
  request: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface MastodonFakeConfig {
  /** configuration.statuses.max_characters, served by /api/v2/instance and enforced. */
  maxCharacters: number;
  /** How long an Idempotency-Key is remembered per account (1 h in Mastodon). */
  idempotencyTtlMs: number;
  /** How long after a status is created its link card appears (the create answer has `card: null`). */
  cardDelayMs: number;
  /** Requests per token per 5 minutes, statuses per account per 3 hours, deletes per account per 30 minutes. */
  requestsPer5Min: number;
  statusesPer3Hours: number;
  deletesPer30Min: number;
}

export const DEFAULT_CONFIG: MastodonFakeConfig = {
  maxCharacters: DEFAULT_MAX_CHARACTERS,
  idempotencyTtlMs: 3_600_000,
  cardDelayMs: 1000,
  requestsPer5Min: 300,
  statusesPer3Hours: 300,
  deletesPer30Min: 30,
};

export const MASTODON_FAKE_ACCOUNT: MastodonFakeAccount = {
  id: '109876543210000001',
  username: 'crier',
  display_name: 'Crier Fake',
};
export const MASTODON_FAKE_OTHER_ACCOUNT: MastodonFakeAccount = {
  id: '109876543210000002',
  username: 'other',
  display_name: 'Someone Else',
};
export const MASTODON_FAKE_TOKEN = 'mastodon-fake-access-token';
export const MASTODON_FAKE_OTHER_TOKEN = 'mastodon-fake-other-token';

export interface Counter {
  start: number;
  count: number;
}

export class MastodonFakeState {
  config: MastodonFakeConfig;
  readonly accounts = new Map<string, MastodonFakeAccount>();
  readonly tokens = new Map<string, MastodonFakeToken>();
  readonly statuses: MastodonStoredStatus[] = [];
  readonly deleted: (MastodonStoredStatus & { deletedAt: number })[] = [];
  /** `${accountId} ${key}` → the status it created and when. */
  readonly idempotency = new Map<string, { statusId: string; at: number }>();
  readonly counters = new Map<string, Counter>();
  private seq = 0n;

  constructor(config: Partial<MastodonFakeConfig> = {}) {
    this.config = { ...DEFAULT_CONFIG, ...config };
    for (const a of [MASTODON_FAKE_ACCOUNT, MASTODON_FAKE_OTHER_ACCOUNT]) this.accounts.set(a.id, a);
    this.tokens.set(MASTODON_FAKE_TOKEN, {
      accountId: MASTODON_FAKE_ACCOUNT.id,
      scopes: ['read', 'write'],
      state: 'valid',
    });
    this.tokens.set(MASTODON_FAKE_OTHER_TOKEN, {
      accountId: MASTODON_FAKE_OTHER_ACCOUNT.id,
      scopes: ['read', 'write'],
      state: 'valid',
    });
  }

  /** Increasing snowflake-like ids: the time in the high bits, as Mastodon's. */
  nextId(now: number): string {
    this.seq += 1n;
    return ((BigInt(now) << 16n) + (this.seq % 65_536n)).toString();
  }

  /** The counter `key` in a window of `windowMs` that started at its first use. */
  counter(key: string, windowMs: number, now: number): Counter {
    let c = this.counters.get(key);
    if (!c || now >= c.start + windowMs) {
      c = { start: now, count: 0 };
      this.counters.set(key, c);
    }
    return c;
  }
}
