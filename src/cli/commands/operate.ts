import { loadConfig } from '../../config/load.js';
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
import { UsageError } from '../../core/errors.js';
import type { LedgerEntry } from '../../ledger/ledger.js';
import { isPlatform, PLATFORMS } from '../../platforms/registry.js';
import { createOutput, type Output } from '../output.js';
import { futureAt, showTime, zoneFor } from '../times.js';
import type { WallTime } from '../wall-time.js';

interface JsonOption {
  json?: boolean;
}

/** Loads and checks the configuration (and a time typed in it) before Redis is touched. */
async function withContext<T>(
  opts: JsonOption,
  fn: (ctx: AppContext, out: Output) => Promise<T>,
  before?: (config: ReturnType<typeof loadConfig>) => unknown,
): Promise<T> {
  const out = createOutput(opts);
  const config = loadConfig();
  before?.(config);
  const ctx = await createContext({ forWorker: false, boundedCommands: true, logger: out.logger, config });
  try {
    return await fn(ctx, out);
  } finally {
    await ctx.close();
  }
}

type Config = ReturnType<typeof loadConfig>;

/** The account of a post id must be one of the configuration: checked before Redis is touched. */
function checkPostAccount(config: Config, id: string): void {
  const account = id.replace(/^post-a[0-9a-f]{16}-/i, '');
  if (!config.accounts.some((a) => a.id === account))
    throw new UsageError(
      `post id "${id}": no account "${account}" in ${config.file} (accounts: ${config.accounts.map((a) => a.id).join(', ')})`,
    );
}

/** A command on one post: its account is checked against the configuration before Redis is touched. */
const onPost = (id: string, opts: JsonOption, fn: (ctx: AppContext, out: Output) => Promise<void>) =>
  withContext(opts, fn, (config) => checkPostAccount(config, id));

/** The log line of an operator command on one post: "post <verb> by the operator". */
function logPostCommand(
  ctx: AppContext,
  event: string,
  id: string,
  e: LedgerEntry,
  verb: string,
  extra: Record<string, unknown> = {},
): void {
  ctx.logger.info(
    { event, jobId: id, articleId: e.articleId, account: e.account, ...extra },
    `post ${verb} by the operator`,
  );
}

function checkTarget(config: Config, target: string): void {
  if (isPlatform(target) || config.accounts.some((a) => a.id === target)) return;
  throw new UsageError(
    `"${target}" is neither an account (${config.accounts.map((a) => a.id).join(', ')}) nor a platform (${PLATFORMS.join(', ')})`,
  );
}

const at = (ctx: AppContext, iso: string | undefined, account?: string) =>
  showTime(iso, zoneFor(ctx.config, account));

export const runScheduleList = (opts: JsonOption) =>
  withContext(opts, async (ctx, out) => {
    const posts = await listScheduled(ctx);
    out.result(
      posts.length === 0
        ? 'nothing scheduled'
        : posts.map((p) => {
            const publish = p.stage === 'publish';
            const when = p.at
              ? at(ctx, p.at, p.account || undefined)
              : p.state === 'held' || p.state === 'slot' || !publish
                ? '-'
                : 'now';
            const where = publish ? `${p.platform}/${p.account}` : p.stage;
            const age = p.ageSeconds === undefined ? '' : `  ${ageText(p.ageSeconds)}`;
            return `${p.id}  ${p.state.padEnd(8)} ${when}  ${where}${age}  ${p.title}${p.reason ? `  (${p.reason})` : ''}`;
          }),
      posts.map((p) => ({ ...p, ...(p.at ? { atLocal: at(ctx, p.at, p.account) } : {}) })),
    );
  });

export const runCancel = (id: string, opts: JsonOption = {}) =>
  onPost(id, opts, async (ctx, out) => {
    await cancelPost(ctx, id);
    ctx.logger.info({ event: 'cancelled', jobId: id }, 'post cancelled by the operator');
    out.result(`cancelled ${id}`, { id, state: 'cancelled' });
  });

export const runHold = (id: string, opts: JsonOption = {}) =>
  onPost(id, opts, async (ctx, out) => {
    const e = await holdPost(ctx, id);
    logPostCommand(ctx, 'held', id, e, 'held');
    out.result(`held ${id}: it stays unsent until "crier release ${id}"`, { id, held: true });
  });

export const runRelease = (id: string, opts: JsonOption & { at?: WallTime }) => {
  let when: Date | undefined;
  return withContext(
    opts,
    async (ctx, out) => {
      const e = await releasePost(ctx, id, when?.toISOString());
      logPostCommand(ctx, 'released', id, e, 'released', { at: e.at });
      out.result(`released ${id}${when ? ` for ${at(ctx, e.at, e.account)}` : ''}`, {
        id,
        released: true,
        at: e.at ?? null,
      });
    },
    (config) => {
      checkPostAccount(config, id);
      when = opts.at ? futureAt(opts.at, config) : undefined;
    },
  );
};

export const runReschedule = (id: string, opts: JsonOption & { at: WallTime }) => {
  let when: Date;
  return withContext(
    opts,
    async (ctx, out) => {
      const e = await reschedulePost(ctx, id, when.toISOString());
      ctx.logger.info({ event: 'delayed', jobId: id, at: e.at }, 'post rescheduled by the operator');
      out.result(`${id} now at ${at(ctx, e.at, e.account)}`, { id, at: e.at });
    },
    (config) => {
      checkPostAccount(config, id);
      when = futureAt(opts.at, config);
    },
  );
};

export const runRetry = (
  id: string | undefined,
  opts: JsonOption & { failed?: boolean; resend?: boolean },
) => {
  if (!id && !opts.failed)
    throw new OperationError('retry: give a post id (see "crier schedule list") or --failed');
  if (id && opts.failed) throw new OperationError('retry: give a post id or --failed, not both');
  return withContext(
    opts,
    async (ctx, out) => {
      const report = opts.failed
        ? await retryFailed(ctx)
        : { retried: [await retryPost(ctx, id!, { resend: opts.resend })], refused: [] };
      for (const i of report.retried)
        ctx.logger.info(
          { event: 'queued', jobId: i, resend: opts.resend || undefined },
          'retried by the operator',
        );
      // A post that cannot be retried is said and skipped: the others are retried all the same.
      for (const r of report.refused) console.error(`crier: not retried: ${r.id}: ${r.reason}`);
      out.result(
        report.retried.length
          ? `retrying ${report.retried.join(', ')}`
          : report.refused.length
            ? 'nothing retried'
            : 'nothing failed',
        { retrying: report.retried, refused: report.refused },
      );
      if (report.refused.length && !report.retried.length) process.exitCode = 1;
    },
    (config) => id && !/^(ingest|compose)\//.test(id) && checkPostAccount(config, id),
  );
};

export const runPause = (target: string, opts: JsonOption = {}) =>
  withContext(
    opts,
    async (ctx, out) => {
      const ids = await pauseAccounts(ctx, target);
      ctx.logger.info({ accounts: ids }, 'accounts paused');
      out.result(`paused ${ids.join(', ')}: their posts wait until "crier resume"`, { paused: ids });
    },
    (config) => checkTarget(config, target),
  );

export const runResume = (target: string, opts: JsonOption = {}) =>
  withContext(
    opts,
    async (ctx, out) => {
      const ids = await resumeAccounts(ctx, target);
      ctx.logger.info({ accounts: ids }, 'accounts resumed');
      out.result(`resumed ${ids.join(', ')}`, { resumed: ids });
    },
    (config) => checkTarget(config, target),
  );

export const runEdit = (id: string, opts: JsonOption & { text: string }) =>
  onPost(id, opts, async (ctx, out) => {
    const { entry: e, check } = await editPost(ctx, id, opts.text);
    logPostCommand(ctx, 'edited', id, e, 'edited');
    const count = check.count;
    out.result(`edited ${id}: ${count}`, { id, text: e.post.text, count, editedAt: e.editedAt });
  });

export const runApprove = (id: string, opts: JsonOption = {}) =>
  onPost(id, opts, async (ctx, out) => {
    const e = await approvePost(ctx, id);
    logPostCommand(ctx, 'approved', id, e, 'approved');
    const later = e.at && Date.parse(e.at) > Date.now();
    out.result(`approved ${id}${later ? `: it goes at ${at(ctx, e.at, e.account)}` : ''}`, {
      id,
      state: e.state,
      at: e.at ?? null,
    });
  });

export const runReject = (id: string, opts: JsonOption = {}) =>
  onPost(id, opts, async (ctx, out) => {
    const e = await rejectPost(ctx, id);
    logPostCommand(ctx, 'rejected', id, e, 'rejected');
    out.result(`rejected ${id}: it will not be sent`, { id, state: e.state });
  });

export const runRetract = (id: string, opts: JsonOption = {}) =>
  onPost(id, opts, async (ctx, out) => {
    const r = await retractPost(ctx, id);
    out.result(
      r.outcome === 'deleted'
        ? `retracted ${id}: deleted on ${r.entry.platform} (${r.entry.url ?? r.entry.postId}); it is never posted again`
        : `retracted ${id}: it was already gone from ${r.entry.platform}; it is never posted again`,
      { id, state: r.entry.state, outcome: r.outcome, postId: r.entry.postId, url: r.entry.url ?? null },
    );
  });

/** An age as a person reads it: 45 s, 12 min, 3 h, 2 d. */
export function ageText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
