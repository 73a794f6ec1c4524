import { DelayedError, type Job, type MinimalJob, type Processor, UnrecoverableError, Worker } from 'bullmq';
import type { AppContext } from '../src/context.js';
import type { PlatformName } from '../src/core/platform.js';
import { metrics } from '../src/http/metrics.js';
import { PLATFORMS } from '../src/platforms/registry.js';
import { backoffDelay } from '../src/queue/backoff.js';
import { outageLogOf } from '../src/queue/connection.js';
import type { JobResult } from '../src/queue/job-data.js';
import { COMPOSE_QUEUE, INGEST_QUEUE, publishQueueName } from '../src/queue/names.js';
import { startProcessBeat } from '../src/queue/process-beat.js';
import { BACKOFF_TYPE } from '../src/queue/queues.js';
import { twitterText } from '../src/summaries/twitter-text.js';
import { processCompose } from './compose.js';
import { JobDelayed } from './delay.js';
import { PermanentFailure, RetryableFailure } from './errors.js';
import { processIngest } from './ingest.js';
import { processPublish } from './publish.js';

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
      const result = await (tooManyStalls(ctx, job) ? giveUpStalled(ctx, queue, job) : fn(ctx, job, token));
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
      const crier = e instanceof RetryableFailure || e instanceof PermanentFailure ? e : undefined;
      const kind = crier?.kind ?? 'error';
      const maxAttempts = job.opts.attempts ?? 1;
      // The failure plan says how its transition is logged; other errors by whether BullMQ will retry them.
      const willRetry = crier?.log
        ? crier.log.event === 'retrying'
        : !(e instanceof UnrecoverableError) && job.attemptsMade + 1 < maxAttempts;
      const event = willRetry ? 'retrying' : 'failed';
      metrics.jobFinished({ queue, platform: fields.platform, outcome: event, errorKind: kind, durationMs });
      ctx.logger[crier?.log?.level === 'warn' || willRetry ? 'warn' : 'error'](
        { ...fields, event, outcome: event, errorKind: kind, error: e.message, durationMs },
        willRetry ? 'job failed, will retry' : 'job failed',
      );
      if (e && typeof e === 'object') (e as Error & { [LOGGED]?: boolean })[LOGGED] = true;
      throw err;
    }
  };
}

/** Marks an error whose failure the wrapper has logged, so the worker's "failed" listener does not again. */
const LOGGED = Symbol('crier.logged');

/** BullMQ's own stall limit never ends a job: Crier decides (`publishing.maxStalls`). */
const NEVER_BY_STALLS = 1_000_000;

const tooManyStalls = (ctx: AppContext, job: Job) =>
  (job.stalledCounter ?? 0) > ctx.config.publishing.maxStalls;

/**
 * A job whose worker died `maxStalls` times while running it may be what kills the worker (a hostile page
 * that exhausts memory): it is not run again but failed for the operator, with reason "stalled". A post that
 * may have gone out stays `unconfirmed` (its look-up comes with "crier retry").
 */
async function giveUpStalled(ctx: AppContext, queue: string, job: Job): Promise<never> {
  const why = `its worker died ${job.stalledCounter} times while running it (publishing.maxStalls is ${ctx.config.publishing.maxStalls})`;
  if (queue.startsWith('publish-') && job.data?.account) {
    const ref = { articleId: job.data.articleId, platform: job.data.platform, account: job.data.account };
    const entry = await ctx.ledger.get(ref);
    if (entry?.state === 'sending' || entry?.state === 'unconfirmed')
      await ctx.ledger.settle(ref, { state: 'unconfirmed', kind: 'unconfirmed', error: `stalled: ${why}` });
    else if (entry?.state === 'pending')
      await ctx.ledger.settle(ref, { state: 'failed', error: `stalled: ${why}` });
  }
  throw new PermanentFailure('stalled', why);
}

/** Stalls and failures that BullMQ decides (not Crier's processors) get their log line too. */
function logBullMqTransitions(ctx: AppContext, name: string, w: Worker): void {
  // A Redis outage is one structured line (and one when it is back), not one per reconnect attempt.
  const outage = outageLogOf(ctx.redis);
  w.on('error', (err) =>
    outage
      ? outage.report(err, `worker ${name}`)
      : ctx.logger.error({ queue: name, error: err.message }, 'worker error'),
  );
  w.on('stalled', (jobId, prev) =>
    ctx.logger.warn(
      { event: 'stalled', queue: name, jobId, previous: prev },
      'job stalled (its worker stopped answering): taken up again',
    ),
  );
  w.on('failed', (job, err) => {
    if ((err as Error & { [LOGGED]?: boolean })?.[LOGGED]) return;
    ctx.logger.error(
      {
        event: 'failed',
        outcome: 'failed',
        queue: name,
        jobId: job?.id,
        articleId: job?.data?.articleId,
        platform: job?.data?.platform,
        account: job?.data?.account,
        errorKind: 'unclassified',
        error: job?.failedReason ?? err?.message,
      },
      'job failed for a reason Crier did not classify: the reconciler takes it up again',
    );
  });
}

/**
 * Loads now the code the roles' first jobs would load on the way (the platforms' adapters, twitter-text for
 * composing): a long-running worker pays for it at start, not with its first posts' latency. An adapter that
 * cannot load is logged and tried again by its first post (./lazy-adapter.ts), as it would be without this.
 */
export async function warmUp(
  ctx: Pick<AppContext, 'accounts' | 'logger'>,
  roles: WorkerRole[],
): Promise<void> {
  if (roles.includes('compose')) twitterText();
  const served = [...ctx.accounts.values()].filter((rt) => roles.includes(rt.config.platform));
  await Promise.all(
    served.map(async (rt) => {
      try {
        await rt.adapter?.load?.();
      } catch (err) {
        ctx.logger.warn(
          { account: rt.config.id, platform: rt.config.platform, error: (err as Error).message },
          'adapter not loaded at start: its first post tries again',
        );
      }
    }),
  );
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
      maxStalledCount: NEVER_BY_STALLS,
    });
    logBullMqTransitions(ctx, name, w);
    return w;
  };
  const workers: Worker[] = [];
  for (const role of roles) {
    if (role === 'ingest') workers.push(make(INGEST_QUEUE, processIngest as Fn));
    else if (role === 'compose') workers.push(make(COMPOSE_QUEUE, processCompose as Fn));
    else workers.push(make(publishQueueName(role), processPublish as Fn));
  }
  const beat = startProcessBeat(ctx.redis, ctx.settings.prefix, ctx.logger);
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
      await beat.stop();
    },
  };
}
