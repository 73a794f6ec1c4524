import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { SlotQueue } from '../schedule/slot-queue.js';
import { enqueuePublish } from './enqueue.js';
import type { PublishJobData } from './job-data.js';
import { publishJobId } from './names.js';

/** Job states in which a job will still run by itself. */
export const LIVE_JOB_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * What carries an unfinished post to the platform: its publish job (and the job's state), its place in the
 * account's slot queue (`slot`), the operator's hold (`held`), or nothing (`none`).
 */
export type Carrier =
  | { kind: 'held' }
  | { kind: 'slot' }
  | { kind: 'job'; state: string; job: Job<PublishJobData> }
  | { kind: 'none' };

export function publishJobData(e: LedgerEntry): PublishJobData {
  return {
    articleId: e.articleId,
    articleKey: e.articleKey,
    platform: e.platform,
    account: e.account,
    correlationId: e.correlationId ?? `requeued-${e.articleId}`,
  };
}

/** Does a slots-mode post without its own time wait for the account's slots? */
export function waitsForSlots(ctx: AppContext, e: Pick<LedgerEntry, 'account' | 'at'>): boolean {
  return !e.at && ctx.accounts.get(e.account)?.config.schedule.mode === 'slots';
}

export async function carrierOf(ctx: AppContext, e: LedgerEntry): Promise<Carrier> {
  if (e.heldAt) return { kind: 'held' };
  const job = (await ctx.queues.publish[e.platform].getJob(publishJobId(e.articleId, e.account))) as
    | Job<PublishJobData>
    | undefined;
  const state = job ? await job.getState() : undefined;
  if (job && state && state !== 'unknown') return { kind: 'job', state, job };
  if (await new SlotQueue(ctx.redis, ctx.settings.prefix).contains(e.account, e.articleId))
    return { kind: 'slot' };
  return { kind: 'none' };
}

/** Is the post on its way by itself (a live job, a place in the slot queue, or held by the operator)? */
export function isCarried(c: Carrier): boolean {
  return c.kind === 'held' || c.kind === 'slot' || (c.kind === 'job' && LIVE_JOB_STATES.has(c.state));
}

/**
 * Gives a post that has no carrier one: its place in the account's slot queue (by when it was composed) or
 * its publish job (at its planned time, else now), under its own job id so that two callers queue it once.
 * Returns what it did: `slot`, `queued`, or null when the post already had a carrier (`c`).
 */
export async function giveCarrier(
  ctx: AppContext,
  e: LedgerEntry,
  c: Carrier,
): Promise<'slot' | 'queued' | null> {
  if (c.kind !== 'none') return null;
  if (waitsForSlots(ctx, e)) {
    await new SlotQueue(ctx.redis, ctx.settings.prefix).add(
      publishJobData(e),
      Date.parse(e.createdAt) || Date.now(),
    );
    return 'slot';
  }
  const at = e.at ? Date.parse(e.at) : 0;
  await enqueuePublish(ctx, publishJobData(e), {
    jobId: publishJobId(e.articleId, e.account),
    delay: at > Date.now() ? at - Date.now() : undefined,
  });
  return 'queued';
}
