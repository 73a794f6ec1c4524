import { type AppContext, createContext } from '../../context.js';
import {
  cancelPost,
  holdPost,
  listScheduled,
  OperationError,
  pauseAccounts,
  releasePost,
  reschedulePost,
  resumeAccounts,
  retryFailed,
  retryPost,
} from '../../control/posts.js';
import { createLogger } from '../../core/logger.js';

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext({
    forWorker: false,
    boundedCommands: true,
    logger: createLogger({ destination: process.stderr }),
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export const runScheduleList = (opts: { json?: boolean }) =>
  withContext(async (ctx) => {
    const posts = await listScheduled(ctx);
    if (opts.json) return void console.log(JSON.stringify(posts, null, 2));
    if (posts.length === 0) return void console.log('nothing scheduled');
    for (const p of posts) {
      const when = p.at ?? (p.state === 'held' || p.state === 'slot' || p.stage !== 'publish' ? '-' : 'now');
      const where = p.stage === 'publish' ? `${p.platform}/${p.account}` : p.stage;
      const since = p.ageSeconds !== undefined ? `  ${ageText(p.ageSeconds)}` : '';
      console.log(
        `${p.id}  ${p.state.padEnd(8)} ${when}  ${where}${since}  ${p.title}${p.reason ? `  (${p.reason})` : ''}`,
      );
    }
  });

export const runCancel = (id: string) =>
  withContext(async (ctx) => {
    await cancelPost(ctx, id);
    ctx.logger.info({ event: 'cancelled', jobId: id }, 'post cancelled by the operator');
    console.log(`cancelled ${id}`);
  });

export const runHold = (id: string) =>
  withContext(async (ctx) => {
    const e = await holdPost(ctx, id);
    ctx.logger.info(
      { event: 'held', jobId: id, articleId: e.articleId, account: e.account },
      'post held by the operator',
    );
    console.log(`held ${id}: it stays unsent until "crier release ${id}"`);
  });

export const runRelease = (id: string, opts: { at?: string }) =>
  withContext(async (ctx) => {
    const e = await releasePost(ctx, id, opts.at);
    ctx.logger.info(
      { event: 'released', jobId: id, articleId: e.articleId, account: e.account, at: e.at },
      'post released by the operator',
    );
    console.log(`released ${id}${opts.at ? ` for ${e.at}` : ''}`);
  });

export const runReschedule = (id: string, opts: { at: string }) =>
  withContext(async (ctx) => {
    const e = await reschedulePost(ctx, id, opts.at);
    ctx.logger.info({ event: 'delayed', jobId: id, at: e.at }, 'post rescheduled by the operator');
    console.log(`${id} now at ${e.at}`);
  });

export const runRetry = (id: string | undefined, opts: { failed?: boolean; resend?: boolean }) =>
  withContext(async (ctx) => {
    if (!id && !opts.failed)
      throw new OperationError('retry: give a post id (see "crier schedule list") or --failed');
    const report = opts.failed
      ? await retryFailed(ctx)
      : { retried: [await retryPost(ctx, id!, { resend: opts.resend })], refused: [] };
    for (const i of report.retried)
      ctx.logger.info(
        { event: 'queued', jobId: i, resend: opts.resend || undefined },
        'retried by the operator',
      );
    for (const r of report.refused) console.error(`crier: not retried: ${r.id}: ${r.reason}`);
    if (report.retried.length) console.log(`retrying ${report.retried.join(', ')}`);
    else if (!report.refused.length) console.log('nothing failed');
    if (report.refused.length && !report.retried.length) process.exitCode = 1;
  });

export const runPause = (target: string) =>
  withContext(async (ctx) => {
    const ids = await pauseAccounts(ctx, target);
    ctx.logger.info({ accounts: ids }, 'accounts paused');
    console.log(`paused ${ids.join(', ')}: their posts wait until "crier resume"`);
  });

export const runResume = (target: string) =>
  withContext(async (ctx) => {
    const ids = await resumeAccounts(ctx, target);
    ctx.logger.info({ accounts: ids }, 'accounts resumed');
    console.log(`resumed ${ids.join(', ')}`);
  });

/** An age as a person reads it: 45 s, 12 min, 3 h, 2 d. */
export function ageText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
