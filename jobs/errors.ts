import { UnrecoverableError } from 'bullmq';
import type { FailurePlan } from '../src/queue/failure-actions.js';

export { CRIER_FAILURE_KINDS, isClassifiedReason } from '../src/queue/failure-actions.js';

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
