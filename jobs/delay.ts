import { DelayedError, type Job } from 'bullmq';

/** Thrown after moving a job to delayed: the wrapper logs it as "delayed"; no attempt is used. */
export class JobDelayed extends DelayedError {
  constructor(
    readonly until: number,
    readonly reason: string,
    /** The failure kind that caused the wait, when one did (rate-limited, auth). */
    readonly kind?: string,
  ) {
    super(`delayed until ${new Date(until).toISOString()}: ${reason}`);
  }
}

export async function delayJob(
  job: Job,
  token: string | undefined,
  until: number,
  reason: string,
  kind?: string,
): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new JobDelayed(until, reason, kind);
}
