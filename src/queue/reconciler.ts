import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import { ComposeDueList } from '../ledger/compose-due.js';
import { OPEN_STATES } from '../ledger/ledger.js';
import { finishTakes } from '../schedule/slot-actions.js';
import { SlotQueue } from '../schedule/slot-queue.js';
import { carrierOf, giveCarrier, LIVE_JOB_STATES } from './carrier.js';
import { enqueueCompose } from './enqueue.js';
import { isClassifiedReason } from './failure-actions.js';
import { redisKeys } from './keys.js';
import { PROCESS_ID } from './process-beat.js';
import { redriveFailed } from './redrive.js';

/** What one sweep found and did, one line each in the log (`event: reconciled`). */
export interface Finding {
  /** compose-due: an article stored whose compose job was never queued; slot-take: a post a slot took whose
   * job was never queued; failed-job: a job failed for a reason Crier did not classify; open-entry: a post
   * not finished (pending, sending, unconfirmed) that nothing carries. */
  kind: 'compose-due' | 'slot-take' | 'failed-job' | 'open-entry';
  /** queued | slot | redriven | dropped | left (for the operator: re-driven too often) */
  action: 'queued' | 'slot' | 'redriven' | 'dropped' | 'left';
  queue?: string;
  jobId?: string;
  articleId?: string;
  account?: string;
  state?: string;
  reason?: string;
}

/** A job the reconciler has re-driven this often and that failed again is left for the operator. */
export const MAX_REDRIVES = 3;

/**
 * One sweep: finds the work that is not finished and has no live job, and re-drives it. Work younger than
 * `graceMs` is left alone (its own job or process may still be on it). A `sending` post goes back through its
 * publish job, whose claim looks it up on the platform before anything is sent again.
 */
export async function reconcileOnce(
  ctx: AppContext,
  graceMs = ctx.config.publishing.lockDurationMs,
): Promise<Finding[]> {
  const found: Finding[] = [];
  const before = Date.now() - graceMs;
  found.push(...(await failedJobs(ctx)));
  found.push(...(await composeDue(ctx, before)));
  const slots = new SlotQueue(ctx.redis, ctx.settings.prefix);
  for (const account of await slots.accounts()) {
    const n = await finishTakes(ctx, slots, account, graceMs);
    for (let i = 0; i < n; i++) found.push({ kind: 'slot-take', action: 'queued', account });
  }
  found.push(...(await openEntries(ctx, before)));
  for (const f of found)
    ctx.logger[f.action === 'left' ? 'error' : 'warn'](
      { event: 'reconciled', ...f },
      `reconciler: ${f.kind} ${f.action === 'left' ? 'left for the operator' : f.action}`,
    );
  return found;
}

/** Jobs failed for a reason Crier did not give (BullMQ's stall rule, a crash): run again, a few times. */
async function failedJobs(ctx: AppContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const counts = redisKeys(ctx.settings.prefix).redrives;
  for (const q of ctx.queues.all()) {
    for (const job of (await q.getFailed(0, 499)) as Job[]) {
      if (!job || isClassifiedReason(job.failedReason)) continue;
      const f: Finding = {
        kind: 'failed-job',
        action: 'redriven',
        queue: q.name,
        jobId: String(job.id),
        articleId: job.data?.articleId,
        account: job.data?.account,
        reason: job.failedReason,
      };
      const n = await ctx.redis.hincrby(counts, `${q.name}:${job.id}`, 1);
      await ctx.redis.expire(counts, Math.round(ctx.config.publishing.retentionDays * 86_400));
      if (n > MAX_REDRIVES) {
        if (n === MAX_REDRIVES + 1) out.push({ ...f, action: 'left' }); // said once
        continue;
      }
      await redriveFailed(ctx, job, q.name);
      out.push(f);
    }
  }
  return out;
}

/** Articles stored whose compose job was never queued (their ingest job died and is not coming back). */
async function composeDue(ctx: AppContext, before: number): Promise<Finding[]> {
  const due = new ComposeDueList(ctx.redis, ctx.settings.prefix);
  const out: Finding[] = [];
  for (const mark of await due.all()) {
    if (mark.since > before) continue;
    const ingest = await ctx.queues.ingest.getJob(mark.ingestJobId);
    if (ingest && LIVE_JOB_STATES.has(await ingest.getState())) continue; // its re-run will finish it
    const stored = await ctx.articles.get(mark.articleId);
    if (stored) await enqueueCompose(ctx, mark.data, { jobId: mark.jobId });
    await due.done([mark.articleId]);
    out.push({
      kind: 'compose-due',
      action: stored ? 'queued' : 'dropped',
      queue: 'compose',
      jobId: mark.jobId,
      articleId: mark.articleId,
      reason: stored ? undefined : 'the article was never stored (its ingest job runs again)',
    });
  }
  return out;
}

/** Posts not finished that no live job, slot queue or hold carries. */
async function openEntries(ctx: AppContext, before: number): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const e of await ctx.ledger.open(before)) {
    if (!OPEN_STATES.has(e.state)) continue;
    let c = await carrierOf(ctx, e);
    if (c.kind === 'job' && c.state === 'completed') {
      await c.job.remove(); // finished without finishing the post (e.g. an interrupted release)
      c = { kind: 'none' };
    }
    const did = await giveCarrier(ctx, e, c);
    if (!did) continue; // carried, or failed (classified: the operator's; unclassified: re-driven above)
    out.push({
      kind: 'open-entry',
      action: did,
      queue: did === 'queued' ? `publish-${e.platform}` : 'slots',
      jobId: `post-${e.articleId}-${e.account}`,
      articleId: e.articleId,
      account: e.account,
      state: e.state,
    });
  }
  return out;
}

// KEYS[1] lock; ARGV[1] holder. Deletes the lock only if this holder still has it.
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * One sweep if no other process is sweeping (a Redis lock that lives at most `lockMs`); null when another
 * process has the lock.
 */
export async function sweepOnce(ctx: AppContext, lockMs = 60_000): Promise<Finding[] | null> {
  const lock = redisKeys(ctx.settings.prefix).reconcilerLock;
  const mine = `${PROCESS_ID}:${Date.now()}`;
  if ((await ctx.redis.set(lock, mine, 'PX', lockMs, 'NX')) !== 'OK') return null;
  try {
    return await reconcileOnce(ctx);
  } finally {
    await ctx.redis.eval(UNLOCK, 1, lock, mine);
  }
}

export interface RunningReconciler {
  stop(): Promise<void>;
}

/**
 * Sweeps every `publishing.reconcileIntervalMs` (0: never), one process at a time across all of them, the
 * first sweep one interval after start.
 */
export function startReconciler(
  ctx: AppContext,
  intervalMs = ctx.config.publishing.reconcileIntervalMs,
): RunningReconciler {
  if (intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepOnce(ctx, Math.max(intervalMs, 60_000))
      .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'reconciler sweep failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
