import { type Job, UnrecoverableError } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { needsApproval, noteAwaiting } from '../src/control/approval.js';
import { enqueuePublish } from '../src/queue/enqueue.js';
import type { ComposeJobData, JobResult } from '../src/queue/job-data.js';
import { publishJobId } from '../src/queue/names.js';
import { SlotQueue } from '../src/schedule/slot-queue.js';
import { composePosts } from '../src/summaries/compose.js';

/**
 * Composes one post per enabled account and queues it on its platform's publish queue. The ledger entry is
 * created first: an account that already has one for this article never gets a second post; a pending one
 * takes the corrected text.
 */
export async function processCompose(ctx: AppContext, job: Job<ComposeJobData>): Promise<JobResult> {
  const d = job.data;
  const stored = await ctx.articles.get(d.articleId);
  if (!stored)
    throw new UnrecoverableError(`article ${d.articleId} is not in the store (expired or never ingested)`);
  const article = stored.article;

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
  const posts = await composePosts(article, ready, ctx.config, { env: ctx.env });

  const at = d.at ? Date.parse(d.at) : undefined;
  let queued = 0;
  let updated = 0;
  let unchanged = 0;
  for (const post of posts) {
    const jobId = publishJobId(post.articleId, post.account);
    const awaitingApproval = needsApproval(ctx, post.account, stored.sourceId);
    const existing = await ctx.ledger.createPending(post, {
      at: d.at,
      jobId,
      correlationId: d.correlationId,
      awaitingApproval,
    });
    if (existing) {
      const waiting = existing.state === 'pending' || existing.state === 'awaiting-approval';
      const outcome =
        waiting && existing.post.text !== post.text ? await ctx.ledger.correctPost(post) : 'same';
      const where = { articleId: d.articleId, account: post.account, platform: post.platform };
      if (outcome === 'updated') {
        updated += 1;
        ctx.logger.info(where, 'pending post updated with corrected article');
      } else {
        unchanged += 1;
        // The operator's edit wins; the console shows "article changed since your edit".
        if (outcome === 'kept')
          ctx.logger.info(where, 'article changed since the operator edited its post: edit kept');
      }
      continue;
    }
    if (awaitingApproval) {
      // Nothing is queued: "crier approve" (or the console) sends it on its way, "crier reject" drops it.
      await noteAwaiting(ctx, post.articleId, post.account);
      ctx.logger.info(
        {
          event: 'awaiting-approval',
          jobId,
          articleId: post.articleId,
          platform: post.platform,
          account: post.account,
          correlationId: d.correlationId,
        },
        'post awaits approval',
      );
      queued += 1;
      continue;
    }
    const data = {
      articleId: post.articleId,
      articleKey: post.articleKey,
      platform: post.platform,
      account: post.account,
      correlationId: d.correlationId,
    };
    const account = ctx.accounts.get(post.account)?.config;
    if (account?.schedule.mode === 'slots' && !at) {
      // A publishing queue: the account's next posting slot takes the oldest waiting post.
      await new SlotQueue(ctx.redis, ctx.settings.prefix).add(data);
      ctx.logger.info(
        {
          event: 'queued',
          queue: 'slots',
          articleId: post.articleId,
          platform: post.platform,
          account: post.account,
          correlationId: d.correlationId,
        },
        'post waits for the next posting slot',
      );
    } else {
      await enqueuePublish(ctx, data, { jobId, delay: at ? Math.max(0, at - Date.now()) : undefined });
    }
    queued += 1;
  }
  return {
    outcome: 'composed',
    posts: posts.length,
    queued,
    updated,
    unchanged,
    skippedAccounts: skipped.length,
  };
}
