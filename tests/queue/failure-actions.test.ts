import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS, type FailureKind } from '../../src/core/failure.js';
import { backoffDelay } from '../../src/queue/backoff.js';
import {
  DEFAULT_RATE_LIMIT_WAIT_MS,
  planFor,
  type Situation,
  UNCONFIRMED_NOTE,
} from '../../src/queue/failure-actions.js';

const s: Situation = {
  now: 1_000_000,
  attemptsMade: 0,
  maxAttempts: 5,
  holdRecheckMs: 60_000,
  mayExist: false,
  stage: 'publish',
};

describe('failure → one complete plan (ledger, budget, account, job, log)', () => {
  it('plans every kind of a post that certainly did not go out', () => {
    const plans = FAILURE_KINDS.map((kind) => planFor({ kind, until: new Date(s.now + 5000) }, s));
    expect(
      plans.map((p) => [p.ledger.state, p.job.move, p.releaseBudget, p.account?.health, p.log.event]),
    ).toEqual([
      ['pending', 'delay', true, 'rate-limited', 'delayed'],
      ['pending', 'delay', true, 'needs-attention', 'delayed'],
      ['posted', 'complete', false, undefined, 'completed'],
      ['failed', 'fail', true, undefined, 'failed'],
      ['pending', 'retry', true, undefined, 'retrying'],
      ['unconfirmed', 'retry', false, undefined, 'retrying'],
    ]);
  });

  it('waits until the limit lifts, or a default when the platform did not say', () => {
    expect(planFor({ kind: 'rate-limited', until: new Date(s.now + 90_000) }, s)).toMatchObject({
      account: { health: 'rate-limited', until: s.now + 90_000 },
      job: { move: 'delay', until: s.now + 90_000 },
    });
    expect(planFor({ kind: 'rate-limited' }, s).job).toMatchObject({
      until: s.now + DEFAULT_RATE_LIMIT_WAIT_MS,
    });
  });

  it('keeps the existing post of a duplicate', () => {
    const existing = { postId: '1', url: 'https://x.com/i/web/status/1' };
    expect(planFor({ kind: 'duplicate', existing }, s)).toMatchObject({
      ledger: { state: 'posted', existing, duplicate: true },
      job: { move: 'complete', outcome: 'duplicate' },
    });
  });

  it('holds auth failures with the action for the operator', () => {
    expect(planFor({ kind: 'auth', action: 'renew the token' }, s)).toMatchObject({
      account: { health: 'needs-attention', action: 'renew the token' },
      job: { move: 'delay', until: s.now + 60_000 },
    });
  });

  it('fails a transient failure at the last attempt, and gives its budget back', () => {
    expect(planFor({ kind: 'transient' }, { ...s, attemptsMade: 4 })).toMatchObject({
      ledger: { state: 'failed', kind: 'transient' },
      releaseBudget: true,
      job: { move: 'retry', lastAttempt: true },
      log: { event: 'failed', level: 'error' },
    });
  });

  it('never sends blind a post that may exist: it stays unconfirmed and keeps its budget, whatever the kind', () => {
    const kinds: FailureKind[] = ['rate-limited', 'auth', 'transient', 'unconfirmed'];
    for (const kind of kinds) {
      const p = planFor({ kind }, { ...s, mayExist: true });
      expect([kind, p.ledger.state, p.ledger.kind, p.releaseBudget]).toEqual([
        kind,
        'unconfirmed',
        'unconfirmed',
        false,
      ]);
    }
    const last = planFor({ kind: 'unconfirmed' }, { ...s, attemptsMade: 4 });
    expect(last).toMatchObject({
      ledger: { state: 'unconfirmed', note: UNCONFIRMED_NOTE },
      job: { lastAttempt: true },
    });
  });

  it('a refused look-up is not an invalid post: it is retried with attempts, then needs the operator', () => {
    const refused = { kind: 'invalid' as const, status: 400 };
    const first = planFor(refused, { ...s, mayExist: true, stage: 'lookup' });
    expect(first).toMatchObject({
      kind: 'invalid',
      ledger: { state: 'unconfirmed', kind: 'unconfirmed', note: 'look-up failed (invalid, HTTP 400)' },
      releaseBudget: false,
      job: { move: 'retry', lastAttempt: false },
      log: { event: 'retrying' },
    });
    const last = planFor(refused, { ...s, mayExist: true, stage: 'lookup', attemptsMade: 4 });
    expect(last.ledger.note).toContain(UNCONFIRMED_NOTE);
    expect(last.log).toEqual({ event: 'failed', level: 'error' });
  });

  it('a look-up without the read permission does not hold the account; an expired token does', () => {
    const lookup = { ...s, mayExist: true, stage: 'lookup' as const };
    const readRefused = planFor({ kind: 'auth', status: 403 }, lookup);
    expect(readRefused.account).toBeUndefined();
    expect(readRefused.job).toMatchObject({ move: 'retry' });
    expect(planFor({ kind: 'auth', status: 401 }, lookup)).toMatchObject({
      ledger: { state: 'unconfirmed' },
      account: { health: 'needs-attention' },
      job: { move: 'delay' },
    });
    expect(planFor({ kind: 'rate-limited' }, lookup)).toMatchObject({
      ledger: { state: 'unconfirmed' },
      account: { health: 'rate-limited' },
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
