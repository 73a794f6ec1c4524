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

/**
 * Several publish jobs (an article's, one per account) in one step: one MULTI block across the platforms'
 * queues, each job with its queue's default options. Each logs its "queued" line, as `enqueuePublish`.
 */
export async function enqueuePublishMany(
  ctx: AppContext,
  items: Array<{ data: PublishJobData; opts: JobsOptions }>,
): Promise<void> {
  if (items.length === 0) return;
  if (items.length === 1) {
    await enqueuePublish(ctx, items[0]!.data, items[0]!.opts);
    return;
  }
  const { queues } = ctx;
  const nodes = await queues.flows.addBulk(
    items.map(({ data, opts }) => {
      const queueName = publishQueueName(data.platform);
      return { name: 'publish', queueName, data, opts: { ...queues.jobOptions[queueName], ...opts } };
    }),
  );
  nodes.forEach((node, i) => {
    const { data, opts } = items[i]!;
    const { articleId, platform, account, correlationId } = data;
    logQueued(
      ctx,
      node.job,
      publishQueueName(platform),
      { articleId, platform, account, correlationId },
      opts.delay,
    );
  });
}

/** Several compose jobs in one round trip (one pipeline); each logs its "queued" line, as `enqueueCompose`. */
export async function enqueueComposeMany(
  ctx: AppContext,
  items: Array<{ data: ComposeJobData; opts: JobsOptions }>,
): Promise<void> {
  if (items.length === 0) return;
  const jobs = await ctx.queues.compose.addBulk(
    items.map(({ data, opts }) => ({ name: 'compose', data, opts })),
  );
  jobs.forEach((job, i) => {
    const { data, opts } = items[i]!;
    logQueued(
      ctx,
      job,
      'compose',
      { articleId: data.articleId, correlationId: data.correlationId },
      opts.delay,
    );
  });
}
