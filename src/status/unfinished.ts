import type { Job, Queue } from 'bullmq';
import type { AppContext } from '../context.js';
import { delayedUntil } from '../control/delayed.js';
import { ComposeDueList } from '../ledger/compose-due.js';
import { carrierOf } from '../queue/carrier.js';

export type Stage = 'ingest' | 'compose' | 'publish';

/** A piece of work not finished, at any stage, as `crier status` and `crier schedule list` show it. */
export interface UnfinishedWork {
  stage: Stage;
  /** What `crier retry` takes: `post-<articleId>-<account>`, or `<queue>/<jobId>` for ingest and compose. */
  id: string;
  /**
   * A job's state (waiting, active, delayed, failed); `due` (an article stored whose compose job is not
   * queued yet); `stuck` (a post nothing carries: the reconciler queues it again).
   */
  state: string;
  reason?: string;
  /** Since when it is in this state (ISO). */
  since: string;
  ageSeconds: number;
  /** When a delayed job runs (ISO). */
  at?: string;
  articleId?: string;
  platform?: string;
  account?: string;
  /** The source an ingest job reads. */
  source?: string;
}

const UNFINISHED_JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

export function age(sinceMs: number, now = Date.now()): { since: string; ageSeconds: number } {
  return {
    since: new Date(sinceMs).toISOString(),
    ageSeconds: Math.max(0, Math.round((now - sinceMs) / 1000)),
  };
}

/** When a job entered its present state, as well as BullMQ tells. */
function enteredAt(job: Job, state: string): number {
  if (state === 'failed') return job.finishedOn ?? job.timestamp;
  if (state === 'active') return job.processedOn ?? job.timestamp;
  return job.timestamp;
}

/** The ingest or compose jobs not finished (waiting, running, delayed or failed), newest first. */
export async function unfinishedJobs(ctx: AppContext, stage: 'ingest' | 'compose', limit = 200) {
  const q: Queue = stage === 'ingest' ? ctx.queues.ingest : ctx.queues.compose;
  const out: UnfinishedWork[] = [];
  for (const job of (await q.getJobs([...UNFINISHED_JOB_STATES], 0, limit - 1)) as Job[]) {
    if (!job) continue;
    const state = await job.getState();
    const at =
      state === 'delayed' ? await delayedUntil(ctx.redis, ctx.settings.prefix, q.name, String(job.id)) : null;
    out.push({
      stage,
      id: `${q.name}/${job.id}`,
      state,
      reason: state === 'failed' ? job.failedReason : state === 'delayed' ? 'will retry' : undefined,
      ...age(enteredAt(job, state)),
      at: at ? new Date(at).toISOString() : undefined,
      articleId: job.data?.articleId,
      source: job.data?.location,
    });
  }
  return out;
}

/** Articles stored whose compose job is not queued yet (an ingest job interrupted half-way). */
export async function dueForCompose(ctx: AppContext): Promise<UnfinishedWork[]> {
  return (await new ComposeDueList(ctx.redis, ctx.settings.prefix).all()).map((m) => ({
    stage: 'compose' as const,
    id: `compose/${m.jobId}`,
    state: 'due',
    reason: `stored by ingest job ${m.ingestJobId}; its compose job is queued by that job's re-run or by the reconciler`,
    ...age(m.since),
    articleId: m.articleId,
  }));
}

/** Posts not finished that nothing carries (no live job, no slot, no hold): the reconciler queues them again. */
export async function stuckPosts(ctx: AppContext): Promise<UnfinishedWork[]> {
  const out: UnfinishedWork[] = [];
  for (const e of await ctx.ledger.open(Date.now())) {
    if ((await carrierOf(ctx, e)).kind !== 'none') continue;
    out.push({
      stage: 'publish',
      id: `post-${e.articleId}-${e.account}`,
      state: 'stuck',
      reason: `${e.state} with no job: the reconciler queues it again${e.state === 'sending' ? ' (looking it up on the platform first)' : ''}`,
      ...age(Date.parse(e.updatedAt) || Date.now()),
      articleId: e.articleId,
      platform: e.platform,
      account: e.account,
    });
  }
  return out;
}
