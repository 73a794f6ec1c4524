import type { Job } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { needsApproval, noteAwaiting } from '../src/control/approval.js';
import { failpoint } from '../src/core/failpoint.js';
import type { Post } from '../src/core/post.js';
import { type LedgerEntry, OPEN_STATES } from '../src/ledger/ledger.js';
import { carrierOf, giveCarrier } from '../src/queue/carrier.js';
import { enqueuePublishMany } from '../src/queue/enqueue.js';
import type { ComposeJobData, JobResult } from '../src/queue/job-data.js';
import { publishJobId } from '../src/queue/names.js';
import { SlotQueue } from '../src/schedule/slot-queue.js';
import { composePosts } from '../src/summaries/compose.js';
import { PermanentFailure } from './errors.js';

/**
 * Composes one post per enabled account and queues it on its platform's publish queue. The ledger entries are
 * created first (all of the article's in one round trip), then the jobs (in one): an account that already has
 * an entry for this article never gets a second post; a pending one takes the corrected text.
 *
 * Re-entrant: a run killed between a ledger entry and its job leaves an entry without a carrier; the re-run
 * (or the reconciler) gives every unfinished entry one, under the post's own job id.
 */
export async function processCompose(ctx: AppContext, job: Job<ComposeJobData>): Promise<JobResult> {
  const d = job.data;
  const stored = await ctx.articles.get(d.articleId);
  if (!stored)
    throw new PermanentFailure(
      'config',
      `article ${d.articleId} is not in the store (expired or never ingested)`,
    );
  const targets = [...ctx.accounts.values()].filter(
    (rt) => rt.config.enabled && (!d.platforms || d.platforms.includes(rt.config.platform)),
  );
  const skipped = targets.filter((rt) => !rt.adapter);
  for (const rt of skipped) {
    ctx.logger.warn(
      { articleId: d.articleId, account: rt.config.id, platform: rt.config.platform, reason: rt.disabled },
      'account disabled: no post composed',
    );
  }
  const ready = targets.filter((rt) => rt.adapter).map((rt) => rt.config);
  const posts = await composePosts(stored.article, ready, ctx.config, { env: ctx.env });
  const counts = { queued: 0, updated: 0, unchanged: 0, requeued: 0 };
  for (const outcome of await recordAndQueue(ctx, d, posts, stored.sourceId)) counts[outcome] += 1;
  return { outcome: 'composed', posts: posts.length, ...counts, skippedAccounts: skipped.length };
}

type Outcome = 'queued' | 'updated' | 'unchanged' | 'requeued';

/**
 * The article's posts: their ledger entries created in one round trip, then their publish jobs queued in one
 * (new entries), or the existing entries corrected and carried.
 */
async function recordAndQueue(
  ctx: AppContext,
  d: ComposeJobData,
  posts: Post[],
  sourceId?: string,
): Promise<Outcome[]> {
  const items = posts.map((post) => ({
    post,
    at: d.at,
    jobId: publishJobId(post.articleId, post.account),
    correlationId: d.correlationId,
    awaitingApproval: needsApproval(ctx, post.account, sourceId),
  }));
  const existing = await ctx.ledger.createPendingMany(items);
  failpoint('compose:after-ledger');
  const outcomes: Outcome[] = [];
  const jobs: Parameters<typeof enqueuePublishMany>[1] = [];
  for (const [i, { post, jobId, awaitingApproval }] of items.entries()) {
    const before = existing[i];
    if (before) {
      outcomes.push(await correctAndCarry(ctx, before, post));
      continue;
    }
    outcomes.push('queued');
    const fields = { articleId: post.articleId, platform: post.platform, account: post.account };
    if (awaitingApproval) {
      // Nothing is queued: "crier approve" (or the console) sends it on its way, "crier reject" drops it.
      await noteAwaiting(ctx, post.articleId, post.account);
      ctx.logger.info(
        { event: 'awaiting-approval', jobId, ...fields, correlationId: d.correlationId },
        'post awaits approval',
      );
      continue;
    }
    const data = { ...fields, articleKey: post.articleKey, correlationId: d.correlationId };
    const at = d.at ? Date.parse(d.at) : undefined;
    if (ctx.accounts.get(post.account)?.config.schedule.mode === 'slots' && !at) {
      // A publishing queue: the account's next posting slot takes the oldest waiting post.
      await new SlotQueue(ctx.redis, ctx.settings.prefix).add(data);
      ctx.logger.info(
        { event: 'queued', queue: 'slots', ...fields, correlationId: d.correlationId },
        'post waits for the next posting slot',
      );
    } else jobs.push({ data, opts: { jobId, delay: at ? Math.max(0, at - Date.now()) : undefined } });
  }
  await enqueuePublishMany(ctx, jobs);
  return outcomes;
}

/** An entry that exists: a waiting one takes the corrected text (an operator's edit wins); an unfinished one
 * without a carrier (an earlier compose was interrupted) is queued now. */
async function correctAndCarry(
  ctx: AppContext,
  existing: LedgerEntry,
  post: Post,
): Promise<'updated' | 'unchanged' | 'requeued'> {
  const where = { articleId: post.articleId, account: post.account, platform: post.platform };
  const waiting = existing.state === 'pending' || existing.state === 'awaiting-approval';
  const outcome = waiting && existing.post.text !== post.text ? await ctx.ledger.correctPost(post) : 'same';
  if (outcome === 'updated') ctx.logger.info(where, 'pending post updated with corrected article');
  // The operator's edit wins; the console shows "article changed since your edit".
  if (outcome === 'kept')
    ctx.logger.info(where, 'article changed since the operator edited its post: edit kept');
  if (OPEN_STATES.has(existing.state) && (await giveCarrier(ctx, existing, await carrierOf(ctx, existing)))) {
    ctx.logger.warn(
      { ...where, event: 'recovered', state: existing.state },
      'post had no job (an earlier compose was interrupted): queued now',
    );
    return 'requeued';
  }
  return outcome === 'updated' ? 'updated' : 'unchanged';
}
