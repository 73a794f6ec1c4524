import { UnrecoverableError } from 'bullmq';
import type { FailurePlan } from '../src/queue/failure-actions.js';

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

/** The job transition's log line, as a failure plan wants it. */
export type PlannedLog = FailurePlan['log'];

/** A failure not worth retrying (BullMQ skips the remaining attempts); carries the kind for the log. */
export class PermanentFailure extends UnrecoverableError {
  constructor(
    readonly kind: string,
    message: string,
    readonly log?: PlannedLog,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** A failure retried with backoff while attempts remain. */
export class RetryableFailure extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly log?: PlannedLog,
  ) {
    super(`${kind}: ${message}`);
    this.name = 'RetryableFailure';
  }
}
