import { notify } from '../src/control/notify.js';
import { isPlatformFailure, PlatformFailure } from '../src/core/failure.js';
import { scrubSecrets } from '../src/core/logger.js';
import type { Settlement } from '../src/ledger/ledger.js';
import { type FailurePlan, planFor } from '../src/queue/failure-actions.js';
import type { JobResult } from '../src/queue/job-data.js';
import { publishJobId } from '../src/queue/names.js';
import { delayJob } from './delay.js';
import { PermanentFailure, RetryableFailure } from './errors.js';
import { type Attempt, quotaOf } from './publish-steps.js';

/**
 * Executes the plan for a failed attempt (src/queue/failure-actions.ts decides it): the ledger change, the
 * budget given back and the account's new state in one Redis step, then the job's move, which the worker's
 * wrapper logs as the plan says (jobs/workers.ts).
 */
export async function settleFailure(a: Attempt, err: unknown): Promise<JobResult> {
  const failure = asPlatformFailure(err, a);
  const message = scrubSecrets(failure.message);
  const plan = planFor(failure, {
    now: Date.now(),
    attemptsMade: a.job.attemptsMade,
    maxAttempts: a.job.opts.attempts ?? 1,
    holdRecheckMs: a.ctx.config.publishing.holdRecheckMs,
    mayExist: a.mayExist,
    stage: a.stage,
  });
  const { firstAttention } = await a.ctx.ledger.settle(a.ref, settlement(a, plan, message));
  if (firstAttention && plan.account?.health === 'needs-attention') {
    a.ctx.logger.error(
      { ...where(a), kind: plan.kind, error: message, action: todo(a, plan) },
      'account needs attention: its posts are held until the credentials change',
    );
    await notify(a.ctx, { kind: 'needs-attention', ...where(a), reason: message, action: todo(a, plan) });
  }
  if (endsForGood(plan)) await notifyFailed(a, plan, message);
  return moveJob(a, plan, recorded(plan, message));
}

const where = (a: Attempt) => ({ account: a.ref.account, platform: a.ref.platform });

/** The post stops here: failed, or unconfirmed with every attempt used (the operator decides). */
const endsForGood = (plan: FailurePlan) =>
  plan.job.move === 'fail' ||
  (plan.job.move === 'retry' && plan.job.lastAttempt && plan.ledger.state !== 'pending');

/** A post that stops here: the operator hears of it once (notify.webhookUrl). */
async function notifyFailed(a: Attempt, plan: FailurePlan, message: string): Promise<void> {
  const title = (await a.ctx.articles.get(a.ref.articleId))?.article.title;
  const id = publishJobId(a.ref.articleId, a.ref.account);
  const attempts = plan.job.move === 'retry' ? ` (after ${a.job.attemptsMade + 1} attempts)` : '';
  const reason = `${plan.kind}: ${recorded(plan, message)}${attempts}`;
  await notify(a.ctx, { kind: 'failed', id, ...where(a), title, reason });
}

/** Anything else thrown while sending (a bug, a lost connection) may have reached the platform. */
function asPlatformFailure(err: unknown, a: Attempt): PlatformFailure {
  if (isPlatformFailure(err)) return err;
  return new PlatformFailure({
    kind: 'unconfirmed',
    platform: a.ref.platform,
    message: `unexpected error: ${(err as Error)?.message ?? String(err)}`,
    cause: err,
  });
}

const recorded = (plan: FailurePlan, message: string) =>
  plan.ledger.note ? `${message} [${plan.ledger.note}]` : message;

const todo = (a: Attempt, plan: FailurePlan) =>
  plan.account?.health === 'needs-attention'
    ? `${plan.account.action} (then restart the workers, or run "crier resume ${a.ref.account}")`
    : '';

function settlement(a: Attempt, plan: FailurePlan, message: string): Settlement {
  const { ledger, account } = plan;
  return {
    state: ledger.state,
    kind: ledger.state === 'posted' ? undefined : ledger.kind,
    error: ledger.state === 'posted' ? undefined : recorded(plan, message),
    existing: ledger.existing,
    duplicate: ledger.duplicate,
    releaseBudget: plan.releaseBudget ? a.budgetMember : undefined,
    attemptStartedAt: a.startedAt,
    quota: quotaOf(a),
    account:
      account?.health === 'rate-limited'
        ? { health: 'rate-limited', until: account.until, reason: message }
        : account?.health === 'needs-attention'
          ? {
              health: 'needs-attention',
              reason: message,
              action: todo(a, plan),
              fingerprint: a.rt.fingerprint,
            }
          : undefined,
  };
}

async function moveJob(a: Attempt, plan: FailurePlan, message: string): Promise<JobResult> {
  const move = plan.job;
  switch (move.move) {
    case 'delay':
      return delayJob(a.job, a.token, move.until, `${move.reason}: ${message}`, plan.kind);
    case 'complete':
      return {
        outcome: move.outcome,
        postId: plan.ledger.existing?.postId,
        postUrl: plan.ledger.existing?.url,
        detail: message,
      };
    case 'fail':
      throw new PermanentFailure(plan.kind, message, plan.log);
    case 'retry':
      throw new RetryableFailure(plan.kind, message, plan.log);
  }
}
