import type { QuotaReading } from '../adapter.js';
import { headerQuota, type RateLimitHeaders, rateLimitedUntil } from '../rate-limit.js';
import { ambiguousKind, type HttpAnswer, type Operation, type Verdict } from '../verdict.js';
import type { MastodonErrorBody } from './api.js';

/** When a 429 carries no usable X-RateLimit-Reset: Mastodon's shortest window is five minutes. */
export const RATE_LIMIT_FALLBACK_MS = 5 * 60_000;

const NEW_TOKEN =
  'create a new access token for the account (Preferences › Development › the application; scopes write:statuses, read:statuses, read:accounts) and set MASTODON_ACCESS_TOKEN';

/** What the X-RateLimit-* headers of one answer say (Reset is an ISO 8601 time on Mastodon). */
export type MastodonRateLimit = RateLimitHeaders;

export function parseRateLimit(headers: Record<string, string>): MastodonRateLimit | undefined {
  const limit = Number(headers['x-ratelimit-limit']);
  const remaining = Number(headers['x-ratelimit-remaining']);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return undefined;
  const reset = headers['x-ratelimit-reset'] ? new Date(headers['x-ratelimit-reset']) : undefined;
  return { limit, remaining, reset: reset && !Number.isNaN(reset.getTime()) ? reset : undefined };
}

/** The account's quota as the latest answer reported it (the closest of Mastodon's limits). */
export function rateLimitQuota(rl: MastodonRateLimit, at: Date): QuotaReading {
  return headerQuota(rl, at, 'requests');
}

function errorText(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as MastodonErrorBody;
    if (typeof b.error === 'string' && b.error) return b.error;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `HTTP ${status}`;
}

/**
 * The one place a Mastodon answer is classified: from the HTTP status and the rate-limit headers, never from
 * the error text (Mastodon's bodies carry only a sentence, `{"error": "…"}`).
 */
export function classifyMastodon(answer: HttpAnswer, operation: Operation): Verdict {
  const { status } = answer;
  const message = `Mastodon ${status}: ${errorText(answer.body, status)}`;
  const base = { platform: 'mastodon' as const, status, code: `http-${status}`, message };
  if (status === 401)
    return { ...base, kind: 'auth', action: `the access token is not accepted: ${NEW_TOKEN}` };
  if (status === 403)
    return {
      ...base,
      kind: 'auth',
      action: `the token may not do this (a missing scope, or the account is limited by its instance): ${NEW_TOKEN}`,
    };
  if (status === 429) {
    const until = rateLimitedUntil(parseRateLimit(answer.headers)?.reset, answer.at, RATE_LIMIT_FALLBACK_MS);
    return { ...base, kind: 'rate-limited', until };
  }
  if (status === 408 || status >= 500) {
    const kind = ambiguousKind(operation);
    return { ...base, kind, message: kind === 'unconfirmed' ? `${message} (the post may exist)` : message };
  }
  // 422 validation (too long, blank), 404 (no such API: a wrong MASTODON_URL), and every other refusal.
  return { ...base, kind: 'invalid' };
}
