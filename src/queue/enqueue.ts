import type { Job, JobsOptions } from 'bullmq';
import type { AppContext } from '../context.js';
import type { ComposeJobData, IngestJobData, PublishJobData } from './job-data.js';
import { publishQueueName } from './names.js';

/** Adding a job is a transition too: each add logs one "queued" (or "delayed") line. */
function logQueued(
  ctx: AppContext,
  job: Job,
  queue: string,
  fields: Record<string, unknown>,
  delay?: number,
): void {
  ctx.logger.info(
    {
      event: delay ? 'delayed' : 'queued',
      jobId: job.id,
      queue,
      ...fields,
      at: delay ? new Date(Date.now() + delay).toISOString() : undefined,
    },
    'job queued',
  );
}

export async function enqueueIngest(ctx: AppContext, data: IngestJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.ingest.add('ingest', data, opts);
  logQueued(ctx, job, 'ingest', { source: data.location, correlationId: data.correlationId }, opts.delay);
  return job;
}

export async function enqueueCompose(ctx: AppContext, data: ComposeJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.compose.add('compose', data, opts);
  logQueued(
    ctx,
    job,
    'compose',
    { articleId: data.articleId, correlationId: data.correlationId },
    opts.delay,
  );
  return job;
}

export async function enqueuePublish(ctx: AppContext, data: PublishJobData, opts: JobsOptions = {}) {
  const job = await ctx.queues.publish[data.platform].add('publish', data, opts);
  const { articleId, platform, account, correlationId } = data;
  logQueued(
    ctx,
    job,
    publishQueueName(platform),
    { articleId, platform, account, correlationId },
    opts.delay,
  );
  return job;
}
