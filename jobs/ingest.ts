import type { Job } from 'bullmq';
import type { AppContext } from '../src/app/context.js';
import { readSource } from '../src/articles/read.js';
import { enqueueCompose } from '../src/queue/enqueue.js';
import type { IngestJobData, JobResult } from '../src/queue/job-data.js';
import { composeJobId } from '../src/queue/names.js';

/**
 * Reads a source and queues a compose job per new or corrected article. Articles are known by stable key
 * (canonical URL, else GUID), so a re-read source neither re-posts nor misses items. An explicit publish
 * (`force`) composes even a known article: the ledger still guarantees one post per account.
 */
export async function processIngest(ctx: AppContext, job: Job<IngestJobData>): Promise<JobResult> {
  const d = job.data;
  const articles = await readSource(d.location, {
    kind: d.kind,
    url: d.url,
    timeoutMs: ctx.config.publishing.requestTimeoutMs,
  });
  let fresh = 0;
  let corrected = 0;
  let unchanged = 0;
  for (const article of articles) {
    const { verdict, stored } = await ctx.articles.put(article);
    if (verdict === 'new') fresh += 1;
    else if (verdict === 'corrected') corrected += 1;
    else unchanged += 1;
    if (verdict === 'unchanged' && !d.force) continue;
    await enqueueCompose(
      ctx,
      {
        articleId: article.id,
        platforms: d.platforms,
        at: d.at,
        correlationId: d.correlationId,
        dryRun: d.dryRun,
      },
      { jobId: composeJobId(article.id, d.force ? d.correlationId : stored.version) },
    );
    ctx.logger.info(
      {
        articleId: article.id,
        title: article.title,
        url: article.url,
        verdict,
        correlationId: d.correlationId,
      },
      'article ingested',
    );
  }
  return { outcome: 'ingested', found: articles.length, new: fresh, corrected, unchanged };
}
