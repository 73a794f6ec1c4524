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
 * Several publish jobs (an article's, one per account), added together: one command each, sent at once, each
 * with its queue's default options, each logging its "queued" line as `enqueuePublish`. Not one MULTI block:
 * BullMQ's FlowProducer took about twice the CPU time of the three adds (a MULTI on BullMQ's connection
 * builds a pipeline carrying all of its scripts), and nothing needs the three at once: their ids are the
 * posts' own, and a compose that dies between them is finished by its re-run or the reconciler, which give
 * every open ledger entry without a job its job (jobs/compose.ts).
 */
export async function enqueuePublishMany(
  ctx: AppContext,
  items: Array<{ data: PublishJobData; opts: JobsOptions }>,
): Promise<void> {
  await Promise.all(items.map(({ data, opts }) => enqueuePublish(ctx, data, opts)));
}

/**
 * Several compose jobs in one round trip (one pipeline, a feed's new articles); each logs its "queued" line, as
 * `enqueueCompose`. One job alone (a single article) is one plain add: cheaper than a pipeline of one.
 */
export async function enqueueComposeMany(
  ctx: AppContext,
  items: Array<{ data: ComposeJobData; opts: JobsOptions }>,
): Promise<void> {
  if (items.length === 0) return;
  if (items.length === 1) {
    await enqueueCompose(ctx, items[0]!.data, items[0]!.opts);
    return;
  }
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
