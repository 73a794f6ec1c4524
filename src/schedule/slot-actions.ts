import { resolve } from 'node:path';
import { isHttpUrl } from '../articles/location.js';
import type { AppContext } from '../context.js';
import type { LedgerState } from '../ledger/ledger.js';
import { enqueueIngest, enqueuePublish } from '../queue/enqueue.js';
import { publishJobId } from '../queue/names.js';
import type { PollSchedule, PostSchedule } from './plan.js';
import { isQuiet } from './quiet-hours.js';
import type { SlotQueue } from './slot-queue.js';

export type SkipReason =
  /** Another scheduler process (or another cron of the same schedule) ran this slot. */
  | 'slot-taken'
  /** The lease could not be asked (Redis unreachable): node-cron skips rather than risk a double run. */
  | 'lease-error'
  | 'quiet-hours'
  | 'min-gap'
  | 'nothing-waiting'
  /** The account exists but cannot post now (credentials missing): its posts keep their place. */
  | 'account-unavailable';

export type SlotOutcome =
  | { schedule: string; outcome: 'enqueued'; jobId: string; articleId?: string; dropped?: number }
  | { schedule: string; outcome: 'skipped'; reason: SkipReason; detail?: string }
  | { schedule: string; outcome: 'failed'; error: string };

/** A slot run this long after its time is a late run (catch-up): quiet hours and the gap use the real time. */
const LATE_MS = 60_000;

/**
 * Posts in these states are not for a slot: a slot that meets one drops it and takes the next (a post awaiting
 * approval is queued again when approved).
 */
const FINISHED: ReadonlySet<LedgerState> = new Set([
  'posted',
  'cancelled',
  'failed',
  'retracted',
  'awaiting-approval',
]);

const pollJobId = (sourceId: string, slot: Date) => `poll-${sourceId}-${slot.getTime()}`;

/** A source's slot: queue one ingest job, with an id per slot so that no slot is read twice. */
export async function runPollSlot(ctx: AppContext, schedule: PollSchedule, slot: Date): Promise<SlotOutcome> {
  const source = schedule.source;
  const location = isHttpUrl(source.location) ? source.location : resolve(ctx.config.dir, source.location);
  const jobId = pollJobId(source.id, slot);
  await enqueueIngest(
    ctx,
    { location, kind: source.kind, url: source.url, sourceId: source.id, correlationId: jobId },
    { jobId },
  );
  return { schedule: schedule.name, outcome: 'enqueued', jobId };
}

/**
 * An account's posting slot: send the OLDEST waiting post, unless the slot (or, for a late run, the real time)
 * is in quiet hours, or the account's last slot post is less than `minGapMinutes` before it.
 */
export async function runPostSlot(
  ctx: AppContext,
  queue: SlotQueue,
  schedule: PostSchedule,
  slot: Date,
  now: Date = new Date(),
): Promise<SlotOutcome> {
  const name = schedule.name;
  const account = schedule.account.id;
  const late = now.getTime() - slot.getTime() > LATE_MS;
  if (
    isQuiet(slot, schedule.zone, schedule.quietHours) ||
    (late && isQuiet(now, schedule.zone, schedule.quietHours))
  )
    return {
      schedule: name,
      outcome: 'skipped',
      reason: 'quiet-hours',
      detail: `${schedule.quietHours?.from}-${schedule.quietHours?.to} ${schedule.zone}`,
    };
  const runtime = ctx.accounts.get(account);
  if (runtime?.disabled)
    return { schedule: name, outcome: 'skipped', reason: 'account-unavailable', detail: runtime.disabled };

  // The time this slot posts at: the slot time itself (so that slots exactly minGap apart both post), or the
  // real time for a late run.
  const postAt = late ? now.getTime() : slot.getTime();
  let previousPostAt: number | null | undefined;
  let dropped = 0;
  for (;;) {
    const taken = await queue.take(account, postAt, schedule.minGapMs);
    if (taken.status === 'min-gap')
      return {
        schedule: name,
        outcome: 'skipped',
        reason: 'min-gap',
        detail: `last post ${new Date(taken.lastPostAt).toISOString()}, gap ${schedule.minGapMs / 60_000} min`,
      };
    if (taken.status === 'empty') {
      if (previousPostAt !== undefined) await queue.restoreLastPost(account, postAt, previousPostAt);
      return {
        schedule: name,
        outcome: 'skipped',
        reason: 'nothing-waiting',
        detail: dropped ? `${dropped} finished post(s) dropped` : undefined,
      };
    }
    if (previousPostAt === undefined) previousPostAt = taken.previousPostAt;
    const item = taken.item;
    try {
      const entry = await ctx.ledger.get({ articleId: item.articleId, platform: item.platform, account });
      if (entry && FINISHED.has(entry.state)) {
        dropped += 1;
        ctx.logger.info(
          { articleId: item.articleId, account, state: entry.state },
          'slot queue: dropped a post that is already finished',
        );
        continue;
      }
      const jobId = publishJobId(item.articleId, item.account);
      await enqueuePublish(ctx, { ...item, slot: slot.toISOString() }, { jobId });
      return {
        schedule: name,
        outcome: 'enqueued',
        jobId,
        articleId: item.articleId,
        dropped: dropped || undefined,
      };
    } catch (err) {
      // Nothing was queued: the post goes back to its place and the slot does not count as a post.
      await queue.putBack(item, taken.addedAt);
      await queue.restoreLastPost(account, postAt, previousPostAt);
      throw err;
    }
  }
}
