import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import { CrierError } from '../core/errors.js';

import type { LedgerEntry, LedgerRef } from '../ledger/ledger.js';
import { isPlatform, PLATFORMS } from '../platforms/registry.js';
import { enqueuePublish } from '../queue/enqueue.js';
import type { PublishJobData } from '../queue/job-data.js';
import { redisKeys } from '../queue/keys.js';
import { publishJobId } from '../queue/names.js';
import { redriveFailed } from '../queue/redrive.js';
import { SlotQueue } from '../schedule/slot-queue.js';
import { age, dueForCompose, type Stage, stuckPosts, unfinishedJobs } from '../status/unfinished.js';
import { delayedUntil } from './delayed.js';
import { slotTimes } from './slot-times.js';

/** An operator command could not be carried out; the message says why and what to do. */
export class OperationError extends CrierError {
  constructor(message: string) {
    super('operation', message);
    this.name = 'OperationError';
  }
}

export interface ScheduledPost {
  /**
   * Publish job id: post-<articleId>-<account>; what cancel/reschedule/retry take. Ingest and compose work is
   * listed as <queue>/<jobId> (what retry takes).
   */
  id: string;
  /** Which stage the work is at: ingest (reading a source), compose (writing the posts) or publish. */
  stage: Stage;
  articleId: string;
  title: string;
  /** The post's platform and account ("" for ingest and compose work). */
  platform: string;
  account: string;
  /**
   * waiting | delayed | active | failed | slot (waiting for the account's next posting slot) | held |
   * awaiting-approval | due (stored, compose job not queued yet) | stuck (nothing carries it: the reconciler
   * queues it again)
   */
  state: string;
  /** Since when it is in this state (ISO), and for how long (seconds). */
  since?: string;
  ageSeconds?: number;
  at?: string;
  reason?: string;
  /** Exactly what will be sent (the post text as composed, corrections included). */
  text?: string;
}

/** Parses a publish job id back into its ledger reference. */
export function refFromId(ctx: AppContext, id: string): LedgerRef {
  const m = /^post-(a[0-9a-f]{16})-(.+)$/.exec(id);
  const account = m ? ctx.accounts.get(m[2]!) : undefined;
  if (!m || !account) {
    throw new OperationError(
      `"${id}" is not a post id: expected post-<articleId>-<account> as listed by "crier schedule list" (accounts: ${[...ctx.accounts.keys()].join(', ')})`,
    );
  }
  return { articleId: m[1]!, platform: account.config.platform, account: account.config.id };
}

async function findJob(ctx: AppContext, ref: LedgerRef): Promise<Job<PublishJobData> | undefined> {
  return ctx.queues.publish[ref.platform].getJob(publishJobId(ref.articleId, ref.account));
}

/** The post's publish job (if any); refused with `busy` while a worker is sending it. */
async function idleJob(
  ctx: AppContext,
  ref: LedgerRef,
  busy: string,
): Promise<Job<PublishJobData> | undefined> {
  const job = await findJob(ctx, ref);
  if (job && (await job.getState()) === 'active') throw new OperationError(busy);
  return job;
}

async function titleOf(ctx: AppContext, articleId: string | undefined): Promise<string> {
  if (!articleId) return '';
  return (await ctx.articles.get(articleId))?.article.title ?? '';
}

/**
 * Work that is not finished, at every stage: posts not out yet (waiting, delayed: scheduled, rate-limited or
 * held by an account; failed; waiting for a slot; held by the operator; stuck), and the ingest and compose
 * jobs not finished, each with its reason and age.
 */
export async function listScheduled(ctx: AppContext): Promise<ScheduledPost[]> {
  const out = [
    ...(await publishJobs(ctx)),
    ...(await slotPosts(ctx)),
    ...(await heldPosts(ctx)),
    ...(await awaitingPosts(ctx)),
  ];
  for (const p of out) {
    if (p.text !== undefined || !p.account) continue;
    const account = ctx.accounts.get(p.account);
    if (account)
      p.text = (
        await ctx.ledger.get({
          articleId: p.articleId,
          platform: account.config.platform,
          account: p.account,
        })
      )?.post.text;
  }
  const others = [
    ...(await stuckPosts(ctx)),
    ...(await unfinishedJobs(ctx, 'ingest')),
    ...(await unfinishedJobs(ctx, 'compose')),
    ...(await dueForCompose(ctx)),
  ];
  for (const w of others)
    out.push({
      ...w,
      articleId: w.articleId ?? '',
      platform: w.platform ?? '',
      account: w.account ?? '',
      title: await titleOf(ctx, w.articleId),
    });
  return out.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
}

async function publishJobs(ctx: AppContext): Promise<ScheduledPost[]> {
  const out: ScheduledPost[] = [];
  for (const platform of PLATFORMS) {
    const q = ctx.queues.publish[platform];
    const jobs = (await q.getJobs(
      ['waiting', 'delayed', 'active', 'failed', 'prioritized'],
      0,
      499,
    )) as Job<PublishJobData>[];
    for (const job of jobs) {
      if (!job?.data) continue;
      const state = await job.getState();
      const at =
        state === 'delayed'
          ? await delayedUntil(ctx.redis, ctx.settings.prefix, q.name, String(job.id))
          : null;
      const entered = state === 'failed' ? job.finishedOn : state === 'active' ? job.processedOn : undefined;
      out.push({
        id: String(job.id),
        stage: 'publish',
        articleId: job.data.articleId,
        title: await titleOf(ctx, job.data.articleId),
        platform,
        account: job.data.account,
        state,
        ...age(entered ?? job.timestamp),
        at: at ? new Date(at).toISOString() : undefined,
        reason: state === 'failed' ? job.failedReason : undefined,
      });
    }
  }
  return out;
}

async function slotPosts(ctx: AppContext): Promise<ScheduledPost[]> {
  const out: ScheduledPost[] = [];
  const waiting = await new SlotQueue(ctx.redis, ctx.settings.prefix).list();
  const counts = new Map<string, number>();
  for (const w of waiting) counts.set(w.item.account, (counts.get(w.item.account) ?? 0) + 1);
  // The posting slot each waiting post will take (oldest first), in place of "-".
  const times = await slotTimes(ctx, counts);
  for (const w of waiting) {
    out.push({
      at: times.get(w.item.account)?.shift()?.at,
      id: publishJobId(w.item.articleId, w.item.account),
      stage: 'publish',
      articleId: w.item.articleId,
      title: await titleOf(ctx, w.item.articleId),
      platform: w.item.platform,
      account: w.item.account,
      state: 'slot',
      ...age(w.addedAt),
      reason: `waiting since ${new Date(w.addedAt).toISOString()} for the account's next posting slot`,
    });
  }
  return out;
}

/**
 * The posts an operator's set lists (held, awaiting approval), oldest first; an id whose post has left that
 * state meanwhile (released, approved, cancelled, expired), or whose account is no longer configured, is
 * dropped from the set and not listed.
 */
async function postsInSet(
  ctx: AppContext,
  key: string,
  inSet: (entry: LedgerEntry) => boolean,
  listed: (entry: LedgerEntry, id: string) => { state: string; since: number; reason: string },
): Promise<ScheduledPost[]> {
  const out: ScheduledPost[] = [];
  for (const id of await ctx.redis.zrange(key, '0', '-1')) {
    let entry: LedgerEntry | null = null;
    try {
      entry = await ctx.ledger.get(refFromId(ctx, id));
    } catch {
      // An account no longer configured: its posts are not listed.
    }
    if (!entry || !inSet(entry)) {
      await ctx.redis.zrem(key, id);
      continue;
    }
    const { state, since, reason } = listed(entry, id);
    out.push({
      id,
      stage: 'publish',
      articleId: entry.articleId,
      title: await titleOf(ctx, entry.articleId),
      platform: entry.platform,
      account: entry.account,
      state,
      ...age(since),
      at: entry.at,
      text: entry.post.text,
      reason,
    });
  }
  return out;
}

function heldPosts(ctx: AppContext): Promise<ScheduledPost[]> {
  return postsInSet(
    ctx,
    heldKey(ctx),
    (entry) => Boolean(entry.heldAt),
    (entry, id) => ({
      state: 'held',
      since: Date.parse(entry.heldAt!) || Date.now(),
      reason: `held by the operator since ${entry.heldAt}: "crier release ${id}" lets it go`,
    }),
  );
}

function awaitingPosts(ctx: AppContext): Promise<ScheduledPost[]> {
  return postsInSet(
    ctx,
    awaitingKey(ctx),
    (entry) => entry.state === 'awaiting-approval',
    (entry, id) => ({
      state: 'awaiting-approval',
      since: Date.parse(entry.createdAt) || Date.now(),
      reason: `awaiting approval: "crier approve ${id}" lets it go, "crier reject ${id}" drops it`,
    }),
  );
}

/** Ids of the posts an operator holds. */
const heldKey = (ctx: AppContext) => redisKeys(ctx.settings.prefix).held;

/** Ids of the posts waiting for an operator's approval (scored by when they started waiting). */
export const awaitingKey = (ctx: AppContext) => redisKeys(ctx.settings.prefix).awaitingApproval;

/** The post is no longer held (released, or the operator gave it another fate). */
async function unhold(ctx: AppContext, ref: LedgerRef, id: string): Promise<void> {
  await ctx.ledger.annotate(ref, { heldAt: '' });
  await ctx.redis.zrem(heldKey(ctx), id);
}

/**
 * Holds a post that has not been sent: it leaves its queue (or the account's posting slots) and is kept,
 * unsent, until "crier release". Corrections of the article still update its text.
 */
export async function holdPost(ctx: AppContext, id: string): Promise<LedgerEntry> {
  const ref = refFromId(ctx, id);
  const entry = await entryOrFail(ctx, ref, id);
  if (entry.heldAt)
    throw new OperationError(
      `${id} is already held (since ${entry.heldAt}): "crier release ${id}" lets it go`,
    );
  if (entry.state === 'posted')
    throw new OperationError(`${id} is already posted (${entry.url ?? entry.postId})`);
  if (entry.state === 'cancelled')
    throw new OperationError(`${id} is cancelled: "crier retry ${id}" queues it again`);
  if (entry.state === 'sending') throw new OperationError(`${id} is being sent right now`);
  refuseFinal(entry, id);
  const job = await idleJob(ctx, ref, `${id} is being sent right now`);
  // The mark comes first: a job that slips past the removal below finds it and sends nothing.
  await ctx.ledger.annotate(ref, { heldAt: new Date().toISOString() });
  await ctx.redis.zadd(heldKey(ctx), String(Date.now()), id);
  await new SlotQueue(ctx.redis, ctx.settings.prefix).remove(ref.account, ref.articleId);
  await job?.remove();
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}

/**
 * Lets a held post go: at `atIso` when given, else at its planned time if that is still ahead, else through
 * the account's posting slots (slots mode) or now.
 */
export async function releasePost(ctx: AppContext, id: string, atIso?: string): Promise<LedgerEntry> {
  const ref = refFromId(ctx, id);
  const entry = await entryOrFail(ctx, ref, id);
  if (!entry.heldAt) throw new OperationError(`${id} is not held (it is ${entry.state})`);
  refuseFinal(entry, id);
  const job = await idleJob(ctx, ref, `${id} is being sent right now`);
  await job?.remove(); // e.g. the job that found the post held and completed without sending it
  await unhold(ctx, ref, id);
  if (entry.state === 'failed') await ctx.ledger.setState(ref, 'pending', { error: '', kind: '' });
  await sendOnItsWay(ctx, ref, entry, atIso);
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}

/**
 * Queues a post that may go: at `atIso` when given, else at its planned time if that is still ahead, else
 * through the account's posting slots (slots mode) or now. Shared by release and approve.
 */
export async function sendOnItsWay(
  ctx: AppContext,
  ref: LedgerRef,
  entry: LedgerEntry,
  atIso?: string,
): Promise<void> {
  const at = atIso ? Date.parse(atIso) : entry.at ? Date.parse(entry.at) : Number.NaN;
  if (atIso) await ctx.ledger.annotate(ref, { at: new Date(at).toISOString() });
  const timed = Boolean(atIso) || at > Date.now();
  if (!timed && ctx.accounts.get(ref.account)?.config.schedule.mode === 'slots') {
    await new SlotQueue(ctx.redis, ctx.settings.prefix).add(jobData(entry));
  } else {
    await queueAgain(ctx, ref, entry, timed ? at - Date.now() : 0);
  }
}

/** Posts waiting for approval go through approve/reject; retracted ones are done for good. */
function refuseFinal(entry: LedgerEntry, id: string): void {
  if (entry.state === 'awaiting-approval')
    throw new OperationError(
      `${id} is awaiting approval: "crier approve ${id}" lets it go, "crier reject ${id}" drops it`,
    );
  if (entry.state === 'retracted')
    throw new OperationError(`${id} was retracted (deleted on the platform) and is never posted again`);
}

async function entryOrFail(ctx: AppContext, ref: LedgerRef, id: string): Promise<LedgerEntry> {
  const e = await ctx.ledger.get(ref);
  if (!e) throw new OperationError(`no post ${id}: it was never composed, or its record expired`);
  return e;
}

/** Cancels a post that has not been sent. Nothing else is touched. */
export async function cancelPost(ctx: AppContext, id: string): Promise<LedgerEntry> {
  const ref = refFromId(ctx, id);
  const entry = await entryOrFail(ctx, ref, id);
  if (entry.state === 'posted')
    throw new OperationError(
      `${id} is already posted (${entry.url ?? entry.postId}): delete it on the platform`,
    );
  if (entry.state === 'sending')
    throw new OperationError(`${id} is being sent right now; try again in a moment`);
  if (entry.state === 'retracted')
    throw new OperationError(`${id} was retracted (deleted on the platform) and is never posted again`);
  const job = await idleJob(ctx, ref, `${id} is being sent right now; try again in a moment`);
  await job?.remove();
  await new SlotQueue(ctx.redis, ctx.settings.prefix).remove(ref.account, ref.articleId);
  await ctx.redis.zrem(awaitingKey(ctx), id);
  if (entry.heldAt) await unhold(ctx, ref, id);
  await ctx.ledger.setState(ref, 'cancelled', { error: 'cancelled by the operator' });
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}

/** Moves a post that has not been sent to a new time (ISO). */
export async function reschedulePost(ctx: AppContext, id: string, atIso: string): Promise<LedgerEntry> {
  const ref = refFromId(ctx, id);
  const entry = await entryOrFail(ctx, ref, id);
  if (entry.state === 'awaiting-approval') {
    // Not queued until approved: the new time is the one approval will use.
    await ctx.ledger.annotate(ref, { at: new Date(Date.parse(atIso)).toISOString() });
    return (await ctx.ledger.get(ref)) as LedgerEntry;
  }
  if (!['pending', 'unconfirmed', 'failed', 'cancelled'].includes(entry.state))
    throw new OperationError(`${id} is ${entry.state}: only posts not sent yet can be rescheduled`);
  const at = Date.parse(atIso);
  const job = await findJob(ctx, ref);
  const state = job ? await job.getState() : 'missing';
  if (state === 'active') throw new OperationError(`${id} is being sent right now`);
  // A post with its own time no longer waits for the account's posting slots, nor for a release.
  await new SlotQueue(ctx.redis, ctx.settings.prefix).remove(ref.account, ref.articleId);
  if (entry.heldAt) await unhold(ctx, ref, id);
  if (state === 'delayed') {
    await job!.changeDelay(Math.max(0, at - Date.now()));
  } else {
    await job?.remove();
    await ctx.ledger.setState(ref, entry.state === 'unconfirmed' ? 'unconfirmed' : 'pending', { error: '' });
    await queueAgain(ctx, ref, entry, at - Date.now());
  }
  await ctx.ledger.annotate(ref, { at: new Date(at).toISOString() });
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}

/** Queues the post's publish job again under its own id, after `delayMs` (0: now). */
async function queueAgain(
  ctx: AppContext,
  ref: LedgerRef,
  entry: LedgerEntry,
  delayMs: number,
): Promise<void> {
  await enqueuePublish(ctx, jobData(entry), {
    jobId: publishJobId(ref.articleId, ref.account),
    delay: delayMs > 0 ? delayMs : undefined,
  });
}

function jobData(e: LedgerEntry): PublishJobData {
  return {
    articleId: e.articleId,
    articleKey: e.articleKey,
    platform: e.platform,
    account: e.account,
    correlationId: e.correlationId ?? `retry-${Date.now()}`,
  };
}

/**
 * Sends a failed (or cancelled) post again, or runs a failed ingest or compose job (`ingest/<jobId>`,
 * `compose/<jobId>`) again, with a fresh set of attempts. A post that may already exist (unconfirmed) is looked
 * up on the platform first, unless `resend`: the operator looked, and it is not there.
 */
export async function retryPost(
  ctx: AppContext,
  id: string,
  opts: { resend?: boolean } = {},
): Promise<string> {
  const stage = /^(ingest|compose)\/(.+)$/.exec(id);
  if (stage) return retryJob(ctx, stage[1] as 'ingest' | 'compose', stage[2]!);
  const ref = refFromId(ctx, id);
  const entry = await entryOrFail(ctx, ref, id);
  if (entry.state === 'posted')
    throw new OperationError(`${id} is already posted (${entry.url ?? entry.postId})`);
  if (entry.state === 'sending') throw new OperationError(`${id} is being sent right now`);
  refuseFinal(entry, id);
  const job = await findJob(ctx, ref);
  const state = job ? await job.getState() : 'missing';
  if (state === 'waiting' || state === 'active' || state === 'prioritized')
    throw new OperationError(`${id} is already ${state}`);
  if (entry.heldAt) await unhold(ctx, ref, id);
  // Unconfirmed stays unconfirmed: the retry looks for the post on the platform before sending it again.
  const next = entry.state === 'unconfirmed' && !opts.resend ? 'unconfirmed' : 'pending';
  await ctx.ledger.setState(ref, next, { error: '', kind: '', ...(opts.resend ? { claimedAt: '' } : {}) });
  if (state === 'failed') await redriveFailed(ctx, job!, ctx.queues.publish[ref.platform].name);
  else if (state === 'delayed') await job!.promote();
  else {
    await job?.remove();
    await queueAgain(ctx, ref, entry, 0);
  }
  return id;
}

async function retryJob(ctx: AppContext, stage: 'ingest' | 'compose', jobId: string): Promise<string> {
  const q = stage === 'ingest' ? ctx.queues.ingest : ctx.queues.compose;
  const job = await q.getJob(jobId);
  if (!job) throw new OperationError(`no ${stage} job ${jobId}: it finished and was removed, or never was`);
  const state = await job.getState();
  if (state !== 'failed') throw new OperationError(`${stage}/${jobId} is ${state}, not failed`);
  await redriveFailed(ctx, job, q.name);
  return `${stage}/${jobId}`;
}

export interface RetryReport {
  /** What was queued again: post ids, and `<queue>/<jobId>` for ingest and compose jobs. */
  retried: string[];
  /** What could not be, and why (the others were retried all the same). */
  refused: { id: string; reason: string }[];
}

/** Retries every failed job of every stage (ingest, compose, publish); a refusal does not stop the others. */
export async function retryFailed(ctx: AppContext): Promise<RetryReport> {
  const report: RetryReport = { retried: [], refused: [] };
  const ids: string[] = [];
  for (const q of [ctx.queues.ingest, ctx.queues.compose])
    for (const job of await q.getFailed(0, 999)) if (job) ids.push(`${q.name}/${job.id}`);
  for (const platform of PLATFORMS)
    for (const job of await ctx.queues.publish[platform].getFailed(0, 999)) if (job) ids.push(String(job.id));
  for (const id of ids) {
    try {
      report.retried.push(await retryPost(ctx, id));
    } catch (err) {
      report.refused.push({ id, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

/** Accounts a pause/resume target names: an account id or a platform name. */
export function accountsFor(ctx: AppContext, target: string): string[] {
  if (ctx.accounts.has(target)) return [target];
  if (isPlatform(target))
    return [...ctx.accounts.values()].filter((a) => a.config.platform === target).map((a) => a.config.id);
  throw new OperationError(
    `"${target}" is neither an account (${[...ctx.accounts.keys()].join(', ')}) nor a platform (${PLATFORMS.join(', ')})`,
  );
}

/** Paused accounts' posts wait in the queue; nothing is dropped. */
export async function pauseAccounts(ctx: AppContext, target: string): Promise<string[]> {
  const ids = accountsFor(ctx, target);
  for (const a of ids) await ctx.accountStates.setPaused(a, true);
  return ids;
}

/**
 * Resumes accounts: un-pauses them and clears "needs attention" (the operator says the problem is fixed:
 * credits bought, permission granted), then lets their waiting posts go now rather than at their next re-check.
 */
export async function resumeAccounts(ctx: AppContext, target: string): Promise<string[]> {
  const ids = accountsFor(ctx, target);
  for (const a of ids) {
    await ctx.accountStates.setPaused(a, false);
    await ctx.accountStates.clearAttention(a);
  }
  for (const rt of [...ctx.accounts.values()].filter((r) => ids.includes(r.config.id))) {
    const q = ctx.queues.publish[rt.config.platform];
    for (const job of (await q.getDelayed(0, 999)) as Job<PublishJobData>[]) {
      if (job.data?.account !== rt.config.id) continue;
      const entry = await ctx.ledger.get({
        articleId: job.data.articleId,
        platform: rt.config.platform,
        account: rt.config.id,
      });
      // Only posts held by the pause: scheduled ones keep their time.
      if (!entry?.at || Date.parse(entry.at) <= Date.now()) await job.promote().catch(() => {});
    }
  }
  return ids;
}
