import { ALL_ROLES, startWorkers, type WorkerRole, warmUp } from '../../../jobs/workers.js';
import { createContext } from '../../context.js';
import { boundHeapGrowth } from '../../core/heap.js';
import { startReconciler } from '../../queue/reconciler.js';
import { startScheduler } from '../../schedule/scheduler.js';

export interface WorkerOptions {
  /** Checked by the argument parser (src/cli/args.ts). */
  queues?: WorkerRole[];
  concurrency?: number;
  dryRun?: boolean;
  scheduler?: boolean;
  workers?: boolean;
  http?: string;
}

/** Runs workers and/or the scheduler until SIGTERM/SIGINT, then shuts down without losing jobs. */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  const roles = opts.queues?.length ? opts.queues : ALL_ROLES;
  boundHeapGrowth();
  const ctx = await createContext({
    forWorker: true,
    waitForRedis: true,
    dryRun: opts.dryRun,
    autoPipelining: true,
  });
  for (const rt of ctx.accounts.values()) {
    if (rt.disabled)
      ctx.logger.warn(
        { account: rt.config.id, platform: rt.config.platform, reason: rt.disabled },
        'account disabled',
      );
    else ctx.logger.info({ account: rt.config.id, platform: rt.config.platform }, 'account ready');
    if (opts.workers !== false) await ctx.accountStates.recordWorker(rt.config.id, !rt.disabled, rt.disabled);
  }
  if (opts.workers !== false) await warmUp(ctx, roles);
  const running = opts.workers === false ? undefined : startWorkers(ctx, roles, opts.concurrency ?? 4);
  const scheduler = opts.scheduler ? await startScheduler(ctx) : undefined;
  // Every worker or scheduler process offers to sweep; one at a time sweeps (src/queue/reconciler.ts).
  const reconciler = startReconciler(ctx);
  // Loaded only when asked for: the console's pages and libraries stay out of plain workers.
  const http = opts.http
    ? await (await import('../../http/http.js')).startHttpServer(ctx, opts.http)
    : undefined;
  if (http)
    ctx.logger.info(
      { url: http.url },
      'serving the console at /, /hooks/articles, /healthz, /metrics and /admin/queues',
    );
  ctx.logger.info(
    {
      roles: opts.workers === false ? [] : roles,
      scheduler: scheduler?.instanceId ?? null,
      prefix: ctx.settings.prefix,
      dryRun: ctx.settings.dryRun,
    },
    'crier started',
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.logger.info({ signal }, 'shutting down: no new jobs; active ones get 10 s to finish');
      await scheduler?.stop();
      await reconciler.stop();
      await running?.close(10_000);
      await http?.close();
      await ctx.close();
      resolve();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
