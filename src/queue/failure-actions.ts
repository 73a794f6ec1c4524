import type { FailureKind, PlatformFailure, PublishedRef } from '../core/failure.js';

/**
 * The one place where a failed attempt becomes a plan: what the ledger entry becomes, whether the budget
 * reservation is given back, what the account's state becomes, where the job goes, and how the transition is
 * logged. `jobs/publish-failure.ts` executes a plan, and nothing else decides.
 *
 * | kind          | plan (the post certainly not sent)                                        |
 * |---------------|---------------------------------------------------------------------------|
 * | rate-limited  | wait until the limit lifts; no attempt used; the account is rate-limited  |
 * | auth          | hold: the account needs attention; the job waits (no attempt) until the   |
 * |               | credentials change                                                        |
 * | duplicate     | record as posted (with the existing post when known); never retried        |
 * | invalid       | fail now with the platform's message; no retries                          |
 * | transient     | retry with exponential backoff and jitter, a bounded number of times      |
 * | unconfirmed   | retry, but the next attempt first looks for the post on the platform      |
 *
 * When the post may exist (an earlier attempt died while sending, or this one's answer never came back) the
 * entry stays `unconfirmed` whatever the kind, and its budget reservation is kept: no later attempt sends it
 * blind. A failure of the look-up itself (`stage: 'lookup'`) is not a failure of the post: the post stays
 * `unconfirmed` and the look-up is tried again (attempts used); once they are all used, the post needs the
 * operator, who can look on the platform. A rate limit or an expired token on the look-up waits as above.
 */
export interface FailurePlan {
  /** The failure's own kind (the log line's errorKind). */
  kind: FailureKind;
  ledger: {
    state: 'pending' | 'unconfirmed' | 'failed' | 'posted';
    /** The kind the entry records (an entry that stays unconfirmed records `unconfirmed`). */
    kind: FailureKind;
    /** posted (duplicate): the post the platform already had. */
    existing?: PublishedRef;
    duplicate?: boolean;
    /** Words for the operator put before the platform's message in the ledger and status. */
    note?: string;
  };
  /** Give the budget reservation back: the platform certainly did not take the post. */
  releaseBudget: boolean;
  account?: { health: 'rate-limited'; until: number } | { health: 'needs-attention'; action: string };
  job:
    | { move: 'delay'; until: number; reason: string }
    | { move: 'complete'; outcome: 'duplicate' }
    /** No retry: BullMQ skips the remaining attempts. */
    | { move: 'fail' }
    /** Retry with backoff while attempts remain (then the job fails). */
    | { move: 'retry'; lastAttempt: boolean };
  /** The job transition's log line: its event and level (the executor adds ids, kind and message). */
  log: { event: 'delayed' | 'completed' | 'retrying' | 'failed'; level: 'info' | 'warn' | 'error' };
}

export interface Situation {
  now: number;
  /** Attempts already used before this one (BullMQ attemptsMade). */
  attemptsMade: number;
  maxAttempts: number;
  /** How long a held job waits before it looks at its account again. */
  holdRecheckMs: number;
  /** An earlier attempt may have created the post (it died while sending, or its answer was lost). */
  mayExist: boolean;
  /** Where the failure came from: the post itself, or the look-up for an earlier attempt's post. */
  stage: 'publish' | 'lookup';
}

/** Fallback wait when a platform says "rate limited" without saying until when. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 15 * 60_000;

/** What the operator reads when a post's existence could not be confirmed with every attempt used. */
export const UNCONFIRMED_NOTE =
  'may exist on the platform and could not be confirmed: look on the platform, then "crier retry <id>" looks again or "crier retry <id> --resend" sends it';

type Failure = Pick<PlatformFailure, 'kind' | 'until' | 'existing' | 'action' | 'status'>;

export function planFor(f: Failure, s: Situation): FailurePlan {
  const lastAttempt = s.attemptsMade + 1 >= s.maxAttempts;
  // The post did not go out this time: back to pending, unless it may exist (then it stays unconfirmed).
  const setBack = s.mayExist || s.stage === 'lookup' ? 'unconfirmed' : 'pending';
  const kept = { releaseBudget: setBack === 'pending' };
  switch (f.kind) {
    case 'rate-limited': {
      const limit = f.until?.getTime();
      const until = limit && limit > s.now ? limit : s.now + DEFAULT_RATE_LIMIT_WAIT_MS;
      return {
        kind: f.kind,
        ledger: { state: setBack, kind: setBack === 'unconfirmed' ? 'unconfirmed' : f.kind },
        ...kept,
        account: { health: 'rate-limited', until },
        job: { move: 'delay', until, reason: 'rate-limited' },
        log: { event: 'delayed', level: 'info' },
      };
    }
    case 'auth':
      // A look-up refused for want of a read permission is not a broken account: the posts can still go.
      if (s.stage === 'lookup' && f.status !== 401) return lookupFailed(f, lastAttempt);
      return {
        kind: f.kind,
        ledger: { state: setBack, kind: setBack === 'unconfirmed' ? 'unconfirmed' : f.kind },
        ...kept,
        account: {
          health: 'needs-attention',
          action: f.action ?? 'check the account credentials, then restart the workers',
        },
        job: { move: 'delay', until: s.now + s.holdRecheckMs, reason: 'held (auth)' },
        log: { event: 'delayed', level: 'info' },
      };
    case 'duplicate':
      if (s.stage === 'lookup') return lookupFailed(f, lastAttempt);
      return {
        kind: f.kind,
        ledger: { state: 'posted', kind: f.kind, existing: f.existing, duplicate: true },
        releaseBudget: false,
        job: { move: 'complete', outcome: 'duplicate' },
        log: { event: 'completed', level: 'info' },
      };
    case 'invalid':
      if (s.stage === 'lookup') return lookupFailed(f, lastAttempt);
      return {
        kind: f.kind,
        ledger: { state: 'failed', kind: f.kind },
        releaseBudget: !s.mayExist,
        job: { move: 'fail' },
        log: { event: 'failed', level: 'error' },
      };
    case 'transient':
    case 'unconfirmed': {
      if (s.stage === 'lookup') return lookupFailed(f, lastAttempt);
      const state =
        f.kind === 'unconfirmed' || s.mayExist ? 'unconfirmed' : lastAttempt ? 'failed' : 'pending';
      return {
        kind: f.kind,
        ledger: {
          state,
          kind: state === 'unconfirmed' ? 'unconfirmed' : f.kind,
          note: state === 'unconfirmed' && lastAttempt ? UNCONFIRMED_NOTE : undefined,
        },
        releaseBudget: state !== 'unconfirmed',
        job: { move: 'retry', lastAttempt },
        log: lastAttempt ? { event: 'failed', level: 'error' } : { event: 'retrying', level: 'warn' },
      };
    }
  }
}

/** The look-up failed (refused, or no answer): the post stays unconfirmed; after the last attempt, the operator decides. */
function lookupFailed(f: Failure, lastAttempt: boolean): FailurePlan {
  return {
    kind: f.kind,
    ledger: {
      state: 'unconfirmed',
      kind: 'unconfirmed',
      note: `look-up failed (${f.kind}${f.status ? `, HTTP ${f.status}` : ''})${lastAttempt ? `; ${UNCONFIRMED_NOTE}` : ''}`,
    },
    releaseBudget: false,
    job: { move: 'retry', lastAttempt },
    log: lastAttempt ? { event: 'failed', level: 'error' } : { event: 'retrying', level: 'warn' },
  };
}

/**
 * The reasons Crier itself gives a job that fails: `<kind>: <message>`, where the kind is one of the platform
 * failure kinds or one of these. A failed job whose reason starts otherwise ended for a reason Crier did not
 * decide (BullMQ's stall rule, a crash, a lost lock): the reconciler re-drives it.
 */
export const CRIER_FAILURE_KINDS = [
  'rate-limited',
  'auth',
  'duplicate',
  'invalid',
  'transient',
  'unconfirmed',
  /** A source that could not be read (missing file, HTTP error, not an article). */
  'source',
  /** Configuration: an account or article the job names is not there. */
  'config',
  /** The job's worker died so many times while running it that Crier stopped re-running it. */
  'stalled',
] as const;

/** Was this failed job's reason given by Crier (classified), rather than by BullMQ or a crash? */
export function isClassifiedReason(reason: string | undefined): boolean {
  if (!reason) return false;
  return CRIER_FAILURE_KINDS.some((k) => reason.startsWith(`${k}: `));
}
