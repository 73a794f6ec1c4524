import { type AppContext, createContext } from '../../context.js';
import { approvePost, rejectPost } from '../../control/approval.js';
import { editPost } from '../../control/edit.js';
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
import { retractPost } from '../../control/retract.js';
import { createLogger } from '../../core/logger.js';
import { countText } from '../../summaries/validate.js';

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext({
    forWorker: false,
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
    for (const p of posts)
      console.log(
        `${p.id}  ${p.state.padEnd(8)} ${p.at ?? (p.state === 'held' || p.state === 'slot' ? '-' : 'now')}  ${p.platform}/${p.account}  ${p.title}${p.reason ? `  (${p.reason})` : ''}`,
      );
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

export const runRetry = (id: string | undefined, opts: { failed?: boolean }) =>
  withContext(async (ctx) => {
    if (!id && !opts.failed)
      throw new OperationError('retry: give a post id (see "crier schedule list") or --failed');
    const ids = opts.failed ? await retryFailed(ctx) : [await retryPost(ctx, id!)];
    for (const i of ids) ctx.logger.info({ event: 'queued', jobId: i }, 'post retried by the operator');
    console.log(ids.length ? `retrying ${ids.join(', ')}` : 'no failed posts');
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

export const runEdit = (id: string, opts: { text: string }) =>
  withContext(async (ctx) => {
    const e = await editPost(ctx, id, opts.text);
    ctx.logger.info(
      { event: 'edited', jobId: id, articleId: e.articleId, account: e.account },
      'post edited by the operator',
    );
    console.log(`edited ${id}: ${countText(e.platform, e.post.text).count}`);
  });

export const runApprove = (id: string) =>
  withContext(async (ctx) => {
    const e = await approvePost(ctx, id);
    ctx.logger.info(
      { event: 'approved', jobId: id, articleId: e.articleId, account: e.account },
      'post approved by the operator',
    );
    console.log(`approved ${id}${e.at && Date.parse(e.at) > Date.now() ? `: it goes at ${e.at}` : ''}`);
  });

export const runReject = (id: string) =>
  withContext(async (ctx) => {
    const e = await rejectPost(ctx, id);
    ctx.logger.info(
      { event: 'rejected', jobId: id, articleId: e.articleId, account: e.account },
      'post rejected by the operator',
    );
    console.log(`rejected ${id}: it will not be sent`);
  });

export const runRetract = (id: string) =>
  withContext(async (ctx) => {
    const r = await retractPost(ctx, id);
    console.log(
      r.outcome === 'deleted'
        ? `retracted ${id}: deleted on ${r.entry.platform} (${r.entry.url ?? r.entry.postId}); it is never posted again`
        : `retracted ${id}: it was already gone from ${r.entry.platform}; it is never posted again`,
    );
  });
