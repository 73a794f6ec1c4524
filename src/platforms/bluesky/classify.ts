import type { QuotaReading } from '../adapter.js';
import { headerQuota, type RateLimitHeaders, rateLimitedUntil } from '../rate-limit.js';
import { ambiguousKind, type HttpAnswer, type Operation, type Verdict } from '../verdict.js';
import type { XrpcError } from './api.js';

/** When a 429 carries no usable RateLimit-Reset: the shortest of Bluesky's windows is five minutes. */
export const RATE_LIMIT_FALLBACK_MS = 5 * 60_000;

const APP_PASSWORD =
  'create an app password for the account (Settings › Privacy and security › App passwords) and set BLUESKY_IDENTIFIER (handle or DID) and BLUESKY_APP_PASSWORD';

/** Errors that mean the session is over: the adapter refreshes it (or logs in again) and retries once. */
export const SESSION_ERRORS: ReadonlySet<string> = new Set(['ExpiredToken', 'InvalidToken']);

/** Errors about the account itself (taken down, deactivated, suspended): an operator must look at it. */
const ACCOUNT_ERRORS: ReadonlySet<string> = new Set([
  'AccountTakedown',
  'AccountDeactivated',
  'RepoTakendown',
  'RepoDeactivated',
  'RepoSuspended',
]);

export function xrpcError(body: unknown): XrpcError {
  return body && typeof body === 'object' ? (body as XrpcError) : {};
}

/** The RateLimit-* headers of one answer (Reset in Unix seconds). */
export interface BlueskyRateLimit extends RateLimitHeaders {
  policy?: string;
}

export function parseRateLimit(headers: Record<string, string>): BlueskyRateLimit | undefined {
  const limit = Number(headers['ratelimit-limit']);
  const remaining = Number(headers['ratelimit-remaining']);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return undefined;
  const reset = Number(headers['ratelimit-reset']);
  return {
    limit,
    remaining,
    reset: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined,
    policy: headers['ratelimit-policy'],
  };
}

export function rateLimitQuota(rl: BlueskyRateLimit, at: Date): QuotaReading {
  return headerQuota(rl, at, 'points', rl.policy);
}

/**
 * The one place a Bluesky (XRPC) answer is classified: from the HTTP status, the error name of the body and the
 * RateLimit-* headers, never from the message text.
 */
export function classifyBluesky(answer: HttpAnswer, operation: Operation): Verdict {
  const { status } = answer;
  const e = xrpcError(answer.body);
  const name = typeof e.error === 'string' && e.error ? e.error : undefined;
  const said =
    e.message || (typeof answer.body === 'string' && answer.body.trim().slice(0, 300)) || `HTTP ${status}`;
  const message = `Bluesky ${status}${name ? ` ${name}` : ''}: ${said}`;
  const base = { platform: 'bluesky' as const, status, code: name ?? `http-${status}`, message };
  if (status === 429) {
    const until = rateLimitedUntil(parseRateLimit(answer.headers)?.reset, answer.at, RATE_LIMIT_FALLBACK_MS);
    return { ...base, kind: 'rate-limited', until };
  }
  if (status === 401 || (status === 400 && name !== undefined && SESSION_ERRORS.has(name)))
    return { ...base, kind: 'auth', action: `Bluesky did not accept the login: ${APP_PASSWORD}` };
  if (status === 403 || (name !== undefined && ACCOUNT_ERRORS.has(name)))
    return {
      ...base,
      kind: 'auth',
      action: `Bluesky refused the account (taken down, deactivated or not allowed to post): check it at bsky.app, then ${APP_PASSWORD}`,
    };
  if (status === 408 || status >= 500) {
    const kind = ambiguousKind(operation);
    return { ...base, kind, message: kind === 'unconfirmed' ? `${message} (the post may exist)` : message };
  }
  // InvalidRequest (a record the lexicon refuses), InvalidMimeType, InvalidSize, BlobNotFound, 413, …
  return { ...base, kind: 'invalid' };
}
