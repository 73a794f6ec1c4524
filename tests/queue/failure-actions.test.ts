import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS } from '../../src/core/failure.js';
import { backoffDelay } from '../../src/queue/backoff.js';
import { actionFor, DEFAULT_RATE_LIMIT_WAIT_MS } from '../../src/queue/failure-actions.js';

const ctx = { now: 1_000_000, attemptsMade: 0, maxAttempts: 5, holdRecheckMs: 60_000 };

describe('failure kind → queue action (defined once)', () => {
  it('maps every kind', () => {
    const types = FAILURE_KINDS.map((kind) => actionFor({ kind, until: new Date(ctx.now + 5000) }, ctx).type);
    expect(types).toEqual(['wait', 'hold', 'complete-as-posted', 'fail', 'retry', 'retry']);
  });

  it('waits until the limit lifts, or a default when the platform did not say', () => {
    expect(actionFor({ kind: 'rate-limited', until: new Date(ctx.now + 90_000) }, ctx)).toMatchObject({
      until: ctx.now + 90_000,
    });
    expect(actionFor({ kind: 'rate-limited' }, ctx)).toMatchObject({
      until: ctx.now + DEFAULT_RATE_LIMIT_WAIT_MS,
    });
  });

  it('keeps the existing post of a duplicate', () => {
    const existing = { postId: '1', url: 'https://x.com/i/web/status/1' };
    expect(actionFor({ kind: 'duplicate', existing }, ctx)).toEqual({ type: 'complete-as-posted', existing });
  });

  it('marks an unconfirmed attempt for reconciliation and knows the last attempt', () => {
    expect(actionFor({ kind: 'unconfirmed' }, ctx)).toMatchObject({
      ledger: 'unconfirmed',
      lastAttempt: false,
    });
    expect(actionFor({ kind: 'transient' }, { ...ctx, attemptsMade: 4 })).toMatchObject({
      ledger: 'pending',
      lastAttempt: true,
    });
  });

  it('holds auth failures with the action for the operator', () => {
    expect(actionFor({ kind: 'auth', action: 'renew the token' }, ctx)).toMatchObject({
      type: 'hold',
      until: ctx.now + 60_000,
      action: 'renew the token',
    });
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter and a cap', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(1000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
