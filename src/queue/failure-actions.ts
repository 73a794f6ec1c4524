import type { FailureKind, PlatformFailure, PublishedRef } from '../core/failure.js';

/**
 * The one place where a failure kind becomes a queue action.
 *
 * | kind          | action                                                                  |
 * |---------------|-------------------------------------------------------------------------|
 * | rate-limited  | wait until the limit lifts; no attempt used; the account is marked      |
 * | auth          | hold: the account needs attention; jobs wait (no attempt) until the     |
 * |               | credentials change                                                      |
 * | duplicate     | record as posted (with the existing post when known); never retried     |
 * | invalid       | fail now with the platform's message; no retries                        |
 * | transient     | retry with exponential backoff and jitter, a bounded number of times    |
 * | unconfirmed   | retry, but the next attempt first looks for the post on the platform    |
 */
export type QueueAction =
  | { type: 'wait'; until: number; ledger: 'pending'; account: 'rate-limited' }
  | { type: 'hold'; until: number; ledger: 'pending'; account: 'needs-attention'; action: string }
  | { type: 'complete-as-posted'; existing?: PublishedRef }
  | { type: 'fail'; ledger: 'failed' }
  | { type: 'retry'; ledger: 'pending' | 'unconfirmed'; lastAttempt: boolean };

export interface ActionContext {
  now: number;
  /** Attempts already used before this one (BullMQ attemptsMade). */
  attemptsMade: number;
  maxAttempts: number;
  /** How long a held job waits before it looks at its account again. */
  holdRecheckMs: number;
}

/** Fallback wait when a platform says "rate limited" without saying until when. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 15 * 60_000;

export function actionFor(
  f: Pick<PlatformFailure, 'kind' | 'until' | 'existing' | 'action'>,
  ctx: ActionContext,
): QueueAction {
  const kind: FailureKind = f.kind;
  switch (kind) {
    case 'rate-limited': {
      const until = f.until?.getTime();
      return {
        type: 'wait',
        until: until && until > ctx.now ? until : ctx.now + DEFAULT_RATE_LIMIT_WAIT_MS,
        ledger: 'pending',
        account: 'rate-limited',
      };
    }
    case 'auth':
      return {
        type: 'hold',
        until: ctx.now + ctx.holdRecheckMs,
        ledger: 'pending',
        account: 'needs-attention',
        action: f.action ?? 'check the account credentials, then restart the workers',
      };
    case 'duplicate':
      return { type: 'complete-as-posted', existing: f.existing };
    case 'invalid':
      return { type: 'fail', ledger: 'failed' };
    case 'transient':
    case 'unconfirmed':
      return {
        type: 'retry',
        ledger: kind === 'unconfirmed' ? 'unconfirmed' : 'pending',
        lastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts,
      };
  }
}
