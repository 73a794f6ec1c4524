import type { JobsOptions } from 'bullmq';
import type { AppContext } from '../app/context.js';
import type { ComposeJobData, IngestJobData, PublishJobData } from './job-data.js';
import { publishQueueName } from './names.js';

/** Adding a job is a transition too: each add logs one "queued" line. */
export async function enqueueIngest(ctx: AppContext, data: IngestJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.ingest.add('ingest', data, opts);
  ctx.logger.info(
    {
      event: 'queued',
      jobId: job.id,
      queue: 'ingest',
      source: data.location,
      correlationId: data.correlationId,
    },
    'job queued',
  );
  return job;
}

export async function enqueueCompose(ctx: AppContext, data: ComposeJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.compose.add('compose', data, opts);
  ctx.logger.info(
    {
      event: 'queued',
      jobId: job.id,
      queue: 'compose',
      articleId: data.articleId,
      correlationId: data.correlationId,
    },
    'job queued',
  );
  return job;
}

export async function enqueuePublish(ctx: AppContext, data: PublishJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.publish[data.platform].add('publish', data, opts);
  ctx.logger.info(
    {
      event: opts.delay ? 'delayed' : 'queued',
      jobId: job.id,
      queue: publishQueueName(data.platform),
      articleId: data.articleId,
      platform: data.platform,
      account: data.account,
      correlationId: data.correlationId,
      at: opts.delay ? new Date(Date.now() + opts.delay).toISOString() : undefined,
    },
    'job queued',
  );
  return job;
}
