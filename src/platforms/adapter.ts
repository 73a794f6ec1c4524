import type { PublishedRef } from '../core/failure.js';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import type { FetchPolicy } from '../fetch/policy.js';

/**
 * The one contract every platform implements.
 *
 * - `publish` sends the post and returns the platform's id and public URL. Any failure is thrown as a
 *   `PlatformFailure` whose `kind` the adapter decided from status and error codes (never message text).
 *   A timeout or 5xx after the request body was sent is `unconfirmed`: the post may exist.
 * - `find` looks for an existing post of this account that carries the post's link (used to reconcile an
 *   unconfirmed attempt and to look up a duplicate). With `since` (the claim of the first attempt that may
 *   have posted) it must cover EVERY post of the account made since then, however many: it pages back
 *   through the account's posts, newest first, until they are older than `since` (src/platforms/lookup.ts,
 *   `pageBack`, does the paging and its clock-skew allowance). Without `since`, the newest page is enough.
 *   Returns null only when it looked and the post is not there; a look-up that could not be done (refused,
 *   no read permission, no answer) throws its classified `PlatformFailure`, never null: the queue layer
 *   plans look-up failures on their own (a post that cannot be confirmed is never sent blind).
 * - `delete` takes a post of this account off the platform by the id `publish` returned. A post that is already
 *   gone (deleted before, or never there) is a success that says so (`already-gone`): deleting is idempotent, so
 *   a delete whose answer was lost is simply sent again. Failures are thrown as `PlatformFailure` with the same
 *   kinds as publish (auth, rate-limited, invalid for a post that is not this account's, transient), never
 *   `unconfirmed` or `duplicate`.
 * - `quota` (where the platform reports one on its answers) is what the latest answer said of the
 *   account's posting quota.
 * - `load` (adapters whose code loads on first use, ./lazy-adapter.ts) loads it now: a worker does before its
 *   first job, so that the first post does not wait for it.
 */
export interface PlatformAdapter {
  readonly platform: PlatformName;
  readonly account: string;
  publish(post: Post): Promise<PublishedRef>;
  find(post: Post, opts?: FindOptions): Promise<PublishedRef | null>;
  delete(postId: string): Promise<DeleteResult>;
  quota?(): QuotaReading | undefined;
  load?(): Promise<void>;
}

export interface FindOptions {
  /** Cover every post made at or after this time (the attempt's claim). */
  since?: Date;
}

/** What a delete did: `deleted` by this request, or `already-gone` (the platform no longer had it). */
export interface DeleteResult {
  postId: string;
  outcome: 'deleted' | 'already-gone';
}

/** How much of its quota an account has used, as the platform's latest answer reported it. */
export interface QuotaReading {
  /** The highest share used among the platform's counters, 0 to 100. */
  usedPercent: number;
  /** When the answer carrying it came (ISO 8601). */
  at: string;
  /** Set when the quota is used up: the platform refuses calls until then (ISO 8601). */
  exhaustedUntil?: string;
  /** The counters in a few words, for status and logs. */
  detail: string;
}

export interface AdapterOptions {
  /** Base URL of the API (tests and demos point it at a fake). */
  baseUrl: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Address rules for content the adapter reads (the article image); default: CRIER_FETCH_ALLOW only. */
  fetchPolicy?: FetchPolicy;
}

/** Where an adapter keeps tokens that rotate (X OAuth 2.0 refresh tokens). Backed by Redis in production. */
export interface TokenStore {
  get(account: string): Promise<StoredTokens | null>;
  /**
   * Atomically replaces the stored tokens if the stored refresh token is still `expectedRefreshToken`
   * (or nothing is stored yet). Returns false when another worker rotated it first.
   */
  swap(account: string, expectedRefreshToken: string | null, next: StoredTokens): Promise<boolean>;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
  /**
   * Which configured refresh token this chain of rotations started from (a hash, never the token). A new
   * token in the configuration (the operator re-authorised) starts a new chain instead of the stored one.
   */
  origin?: string;
}
