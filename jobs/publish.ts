import type { Job } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { failpoint } from '../src/core/failpoint.js';
import type { JobResult, PublishJobData } from '../src/queue/job-data.js';
import { settleFailure } from './publish-failure.js';
import {
  claim,
  leaveToRealWorker,
  lookUp,
  noteQuota,
  openAttempt,
  recordPosted,
  reserveBudget,
  waitForAccount,
  withdrawnMeanwhile,
} from './publish-steps.js';

export { PermanentFailure, RetryableFailure } from './errors.js';

/**
 * Publishes one post for one account: ledger check → account health → budget → claim → look-up (when an
 * earlier attempt may have posted) → adapter → ledger write. A failure becomes one plan
 * (src/queue/failure-actions.ts) executed in one place (jobs/publish-failure.ts).
 */
export async function processPublish(
  ctx: AppContext,
  job: Job<PublishJobData>,
  token?: string,
): Promise<JobResult> {
  const opened = await openAttempt(ctx, job, token);
  if ('outcome' in opened) return opened; // posted, cancelled or held: nothing to send
  await leaveToRealWorker(opened);
  const a = await waitForAccount(opened);
  const withdrawn = await withdrawnMeanwhile(a);
  if (withdrawn) return withdrawn;
  await reserveBudget(a);
  const refused = await claim(a);
  if (refused) return refused;
  try {
    const found = await lookUp(a);
    if (found) return await recordPosted(a, found, 'reconciled');
    const sent = await a.rt.adapter.publish(a.entry.post);
    failpoint('publish:after-send');
    return await recordPosted(a, sent, 'posted');
  } catch (err) {
    return await settleFailure(a, err);
  } finally {
    await noteQuota(a);
  }
}
