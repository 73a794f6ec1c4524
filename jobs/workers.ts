import { DelayedError, type Job, type MinimalJob, type Processor, UnrecoverableError, Worker } from 'bullmq';
import type { AppContext } from '../src/context.js';
import type { PlatformName } from '../src/core/platform.js';
import { metrics } from '../src/http/metrics.js';
import { PLATFORMS } from '../src/platforms/registry.js';
import { backoffDelay } from '../src/queue/backoff.js';
import type { JobResult } from '../src/queue/job-data.js';
import { COMPOSE_QUEUE, INGEST_QUEUE, publishQueueName } from '../src/queue/names.js';
import { BACKOFF_TYPE } from '../src/queue/queues.js';
import { processCompose } from './compose.js';
import { JobDelayed } from './delay.js';
import { processIngest } from './ingest.js';
import { PermanentFailure, processPublish, RetryableFailure } from './publish.js';

export type WorkerRole = 'ingest' | 'compose' | PlatformName;
export const ALL_ROLES: WorkerRole[] = ['ingest', 'compose', ...PLATFORMS];

type Fn = (ctx: AppContext, job: Job, token?: string) => Promise<JobResult>;

/**
 * Wraps a processor so that each job transition writes exactly one structured log line:
 * active, then completed | delayed | retrying | failed, with jobId, queue, articleId, platform, account,
 * attempt, outcome, postId/postUrl, durationMs and the error kind and message.
 */
export function instrument(ctx: AppContext, queue: string, fn: Fn): Processor {
  return async (job: Job, token?: string) => {
    const started = Date.now();
    const fields = {
      jobId: job.id,
      queue,
      articleId: job.data?.articleId,
      platform: job.data?.platform,
      account: job.data?.account,
      correlationId: job.data?.correlationId,
      attempt: job.attemptsMade + 1,
    };
    ctx.logger.info({ ...fields, event: 'active' }, 'job active');
    try {
      const result = await fn(ctx, job, token);
      const durationMs = Date.now() - started;
      const posted = result.outcome === 'posted' || result.outcome === 'reconciled';
      metrics.jobFinished({
        queue,
        platform: fields.platform,
        outcome: result.outcome,
        durationMs,
        latencyMs: posted ? Date.now() - job.timestamp : undefined,
      });
      ctx.logger.info(
        {
          ...fields,
          event: 'completed',
          outcome: result.outcome,
          postId: result.postId,
          postUrl: result.postUrl,
          durationMs,
          result,
        },
        'job completed',
      );
      return result;
    } catch (err) {
      const durationMs = Date.now() - started;
      if (err instanceof JobDelayed) {
        metrics.jobFinished({
          queue,
          platform: fields.platform,
          outcome: 'delayed',
          errorKind: err.kind,
          durationMs,
        });
        ctx.logger.info(
          {
            ...fields,
            event: 'delayed',
            outcome: 'delayed',
            until: new Date(err.until).toISOString(),
            reason: err.reason,
            errorKind: err.kind,
            durationMs,
          },
          'job delayed',
        );
        throw err;
      }
      if (err instanceof DelayedError) throw err;
      const e = err as Error & { kind?: string };
      const kind = e instanceof RetryableFailure || e instanceof PermanentFailure ? e.kind : 'error';
      const maxAttempts = job.opts.attempts ?? 1;
      const willRetry = !(e instanceof UnrecoverableError) && job.attemptsMade + 1 < maxAttempts;
      metrics.jobFinished({
        queue,
        platform: fields.platform,
        outcome: willRetry ? 'retrying' : 'failed',
        errorKind: kind,
        durationMs,
      });
      ctx.logger[willRetry ? 'warn' : 'error'](
        {
          ...fields,
          event: willRetry ? 'retrying' : 'failed',
          outcome: willRetry ? 'retrying' : 'failed',
          errorKind: kind,
          error: e.message,
          durationMs,
        },
        willRetry ? 'job failed, will retry' : 'job failed',
      );
      throw err;
    }
  };
}

export interface RunningWorkers {
  workers: Worker[];
  close(timeoutMs?: number): Promise<void>;
}

/** Starts workers for the given roles (default: all queues). */
export function startWorkers(
  ctx: AppContext,
  roles: WorkerRole[] = ALL_ROLES,
  concurrency = 4,
): RunningWorkers {
  const settings = {
    backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob) => {
      const b = job?.opts.backoff;
      const base = (typeof b === 'object' ? b.delay : undefined) ?? ctx.config.publishing.backoffMs;
      return type === BACKOFF_TYPE ? backoffDelay(attemptsMade, base) : base;
    },
  };
  const make = (name: string, fn: Fn) => {
    const w = new Worker(name, instrument(ctx, name, fn), {
      connection: ctx.redis,
      prefix: ctx.settings.prefix,
      concurrency,
      settings,
      lockDuration: ctx.config.publishing.lockDurationMs,
      stalledInterval: ctx.config.publishing.lockDurationMs,
    });
    w.on('error', (err) => ctx.logger.error({ queue: name, error: err.message }, 'worker error'));
    return w;
  };
  const workers: Worker[] = [];
  for (const role of roles) {
    if (role === 'ingest') workers.push(make(INGEST_QUEUE, processIngest as Fn));
    else if (role === 'compose') workers.push(make(COMPOSE_QUEUE, processCompose as Fn));
    else workers.push(make(publishQueueName(role), processPublish as Fn));
  }
  return {
    workers,
    /** Stops taking jobs and lets active ones finish within `timeoutMs`; the rest are handed back (stalled → re-run). */
    async close(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(async () => {
          await Promise.all(workers.map((w) => w.close(true)));
          resolve();
        }, timeoutMs);
      });
      await Promise.race([graceful, forced]);
      clearTimeout(timer);
    },
  };
}
