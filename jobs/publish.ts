import { type Job, UnrecoverableError } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { notify } from '../src/control/notify.js';
import { goneStatus, withdrawArticle } from '../src/control/withdraw.js';
import { isPlatformFailure, PlatformFailure } from '../src/core/failure.js';
import { scrubSecrets } from '../src/core/logger.js';
import type { LedgerRef } from '../src/ledger/ledger.js';
import type { PlatformAdapter } from '../src/platforms/adapter.js';
import { actionFor } from '../src/queue/failure-actions.js';
import type { JobResult, PublishJobData } from '../src/queue/job-data.js';
import { publishJobId } from '../src/queue/names.js';
import { delayJob } from './delay.js';

/** How often a paused account's posts look again. */
const PAUSE_RECHECK_MS = 60_000;

/**
 * Publishes one post for one account: ledger check → account health → budget → claim → adapter → ledger write.
 * Failures are classified by the adapter and turned into queue actions by `actionFor` (src/queue/failure-actions.ts).
 */
export async function processPublish(
  ctx: AppContext,
  job: Job<PublishJobData>,
  token?: string,
): Promise<JobResult> {
  const d = job.data;
  const ref: LedgerRef = { articleId: d.articleId, platform: d.platform, account: d.account };
  const rt = ctx.accounts.get(d.account);
  if (!rt) throw new UnrecoverableError(`account "${d.account}" is not in the configuration`);

  const entry = await ctx.ledger.get(ref);
  if (!entry) return { outcome: 'cancelled', detail: 'no ledger entry (cancelled or expired)' };
  if (entry.state === 'posted')
    return { outcome: 'already-posted', postId: entry.postId, postUrl: entry.url };
  if (entry.state === 'cancelled' || entry.state === 'retracted') return { outcome: 'cancelled' };
  // Never sent before an operator approves it, whatever queued this job (a slot, a retry).
  if (entry.state === 'awaiting-approval') return { outcome: 'held', detail: 'awaiting approval' };
  // An operator holds it: "crier release" queues it again.
  if (entry.heldAt) return { outcome: 'held', detail: `held by the operator since ${entry.heldAt}` };

  if (ctx.settings.dryRun) {
    // A dry-run worker shows what it would send and leaves the job to a real worker: nothing is consumed.
    ctx.logger.info(
      { jobId: job.id, platform: d.platform, account: d.account, text: entry.post.text },
      'dry run: would post',
    );
    return delayJob(
      job,
      token,
      Date.now() + ctx.config.publishing.holdRecheckMs,
      'dry-run worker: left for a real worker',
    );
  }

  const now = Date.now();
  const state = await ctx.accountStates.get(d.account, now);
  if (state.health === 'paused') return delayJob(job, token, now + PAUSE_RECHECK_MS, 'account paused');
  if (state.health === 'rate-limited' && state.until) {
    return delayJob(job, token, state.until, `account rate-limited: ${state.reason ?? ''}`.trim());
  }
  if (!rt.adapter) {
    const first = await ctx.accountStates.setNeedsAttention(
      d.account,
      rt.disabled ?? 'disabled',
      'set the credentials in the environment and restart the workers',
      rt.fingerprint,
    );
    if (first) {
      ctx.logger.warn(
        { account: d.account, platform: d.platform, reason: rt.disabled },
        'account needs attention',
      );
      await notify(ctx, {
        kind: 'needs-attention',
        account: d.account,
        platform: d.platform,
        reason: rt.disabled ?? 'disabled',
        action: 'set the credentials in the environment and restart the workers',
      });
    }
    return delayJob(job, token, now + ctx.config.publishing.holdRecheckMs, `held: ${rt.disabled}`);
  }
  if (state.health === 'needs-attention') {
    if (state.fingerprint === rt.fingerprint) {
      return delayJob(job, token, now + ctx.config.publishing.holdRecheckMs, `held: ${state.reason}`);
    }
    await ctx.accountStates.clearAttention(d.account);
    ctx.logger.info({ account: d.account, platform: d.platform }, 'credentials changed: account resumed');
  }

  // A post that waited (scheduled, or for a slot) may point at an article the site has since taken down.
  const waited = Boolean(entry.at) || rt.config.schedule.mode === 'slots';
  if (waited) {
    const gone = await goneStatus(
      entry.post.link,
      Math.min(5000, ctx.config.publishing.requestTimeoutMs),
      ctx.fetchPolicy,
    );
    if (gone) {
      await withdrawArticle(ctx, d.articleId, `${entry.post.link} answers HTTP ${gone}`);
      return { outcome: 'cancelled', detail: `article withdrawn (HTTP ${gone})` };
    }
  }

  const budget = rt.config.budget;
  const member = String(job.id);
  if (budget) {
    const retryAt = await ctx.budget.reserve(
      d.account,
      member,
      budget.posts,
      budget.windowHours * 3_600_000,
      now,
    );
    if (retryAt !== null)
      return delayJob(
        job,
        token,
        retryAt,
        `posting budget of ${budget.posts} per ${budget.windowHours} h used`,
      );
  }

  const claim = await ctx.ledger.claim(ref);
  if (!claim.ok) {
    if (budget) await ctx.budget.release(d.account, member);
    if (claim.state === 'posted')
      return { outcome: 'already-posted', postId: claim.entry?.postId, postUrl: claim.entry?.url };
    return { outcome: 'cancelled', detail: `ledger state ${claim.state}` };
  }

  const post = entry.post;
  // A previous attempt may have reached the platform (it died while sending, or the answer never came back).
  // Until we know better the post may exist, and every failure below keeps it "unconfirmed" so that no later
  // attempt sends it blind.
  let mayExist = claim.previous === 'sending' || claim.previous === 'unconfirmed';
  const { adapter } = rt;
  try {
    // Threads go straight back through publish: the adapter recognises the head and sends only missing replies.
    if (mayExist && !post.thread?.length) {
      const existing = await adapter.find(post);
      if (existing) {
        await ctx.ledger.markPosted(ref, existing);
        return { outcome: 'reconciled', postId: existing.postId, postUrl: existing.url };
      }
      mayExist = false; // looked, and it is not there
    }
    const result = await adapter.publish(post);
    await ctx.ledger.markPosted(ref, result);
    return { outcome: 'posted', postId: result.postId, postUrl: result.url };
  } catch (err) {
    const failure = isPlatformFailure(err)
      ? err
      : new PlatformFailure({
          kind: 'unconfirmed',
          platform: d.platform,
          message: `unexpected error: ${(err as Error)?.message ?? String(err)}`,
          cause: err,
        });
    const message = scrubSecrets(failure.message);
    /** The post did not go out this time: back to pending, unless it may exist (then it stays unconfirmed). */
    const setBack = async () => {
      if (mayExist) return ctx.ledger.markUnconfirmed(ref, message);
      await ctx.ledger.release(ref, failure.kind, message);
      if (budget) await ctx.budget.release(d.account, member);
    };
    const action = actionFor(failure, {
      now: Date.now(),
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      holdRecheckMs: ctx.config.publishing.holdRecheckMs,
    });
    switch (action.type) {
      case 'wait':
        await setBack();
        await ctx.accountStates.setRateLimited(d.account, action.until, message);
        return await delayJob(job, token, action.until, `rate-limited: ${message}`, failure.kind);
      case 'hold': {
        await setBack();
        const todo = `${action.action} (then restart the workers, or run "crier resume ${d.account}")`;
        const first = await ctx.accountStates.setNeedsAttention(d.account, message, todo, rt.fingerprint);
        if (first) {
          ctx.logger.error(
            { account: d.account, platform: d.platform, kind: 'auth', error: message, action: todo },
            'account needs attention: its posts are held until the credentials change',
          );
          await notify(ctx, {
            kind: 'needs-attention',
            account: d.account,
            platform: d.platform,
            reason: message,
            action: todo,
          });
        }
        return await delayJob(job, token, action.until, `held (auth): ${message}`, failure.kind);
      }
      case 'complete-as-posted':
        await ctx.ledger.markPosted(ref, action.existing ?? { postId: '', url: '' }, { duplicate: true });
        return {
          outcome: 'duplicate',
          postId: action.existing?.postId,
          postUrl: action.existing?.url,
          detail: message,
        };
      case 'fail':
        await ctx.ledger.markFailed(ref, failure.kind, message);
        if (budget && !mayExist) await ctx.budget.release(d.account, member);
        await notifyFailed(ctx, d, `${failure.kind}: ${message}`);
        throw new PermanentFailure(failure.kind, message);
      case 'retry':
        if (action.ledger === 'unconfirmed' || mayExist) {
          await ctx.ledger.markUnconfirmed(ref, message);
        } else if (action.lastAttempt) {
          await ctx.ledger.markFailed(ref, failure.kind, message);
          if (budget) await ctx.budget.release(d.account, member);
          await notifyFailed(ctx, d, `${failure.kind}: ${message} (after ${job.attemptsMade + 1} attempts)`);
        } else {
          await setBack();
        }
        throw new RetryableFailure(failure.kind, message);
    }
  } finally {
    await noteQuota(ctx, d.account, adapter).catch((err) =>
      ctx.logger.warn({ account: d.account, err: (err as Error).message }, 'quota not recorded'),
    );
  }
}

/** A post failed for good: the operator hears of it once (notify.webhookUrl). */
async function notifyFailed(ctx: AppContext, d: PublishJobData, reason: string): Promise<void> {
  const title = (await ctx.articles.get(d.articleId))?.article.title;
  const id = publishJobId(d.articleId, d.account);
  await notify(ctx, { kind: 'failed', id, account: d.account, platform: d.platform, title, reason });
}

/**
 * What the platform's answers said of the account's quota goes to its state (status shows it); a quota used
 * up makes the account wait until it comes back, so no call is made only to be refused.
 */
async function noteQuota(ctx: AppContext, account: string, adapter: PlatformAdapter): Promise<void> {
  const quota = adapter.quota?.();
  if (!quota) return;
  await ctx.accountStates.recordQuota(account, quota);
  const until = quota.exhaustedUntil ? Date.parse(quota.exhaustedUntil) : 0;
  if (until <= Date.now()) return;
  // A refusal (429) already set the wait with the platform's own words: keep them.
  if (((await ctx.accountStates.get(account)).until ?? 0) >= until) return;
  await ctx.accountStates.setRateLimited(account, until, `quota used up: ${quota.detail}`);
}

/** A failure not worth retrying (BullMQ skips the remaining attempts); carries the kind for the log. */
export class PermanentFailure extends UnrecoverableError {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

export class RetryableFailure extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(`${kind}: ${message}`);
    this.name = 'RetryableFailure';
  }
}
