import { articleId, canonicalKey } from '../articles/article.js';
import { isHttpUrl } from '../articles/location.js';
import type { AppContext } from '../context.js';
import { delayedUntil } from '../control/delayed.js';
import { OperationError } from '../control/posts.js';
import type { FailureKind } from '../core/failure.js';
import { publishJobId } from '../queue/names.js';

/** One account's post of an article, as the ledger and its queue know it. */
export interface ArticlePostStatus {
  /** Post id for the operator commands (cancel, reschedule, hold, release, retry). */
  id: string;
  platform: string;
  account: string;
  /** Ledger state (pending, sending, posted, failed, unconfirmed, cancelled), or "none" when no post was composed. */
  state: string;
  postId?: string;
  url?: string;
  duplicate?: boolean;
  kind?: FailureKind;
  error?: string;
  /** Where its job is: waiting, delayed (until `next`), active, failed, completed, or a posting slot. */
  job?: string;
  next?: string;
  heldAt?: string;
  text?: string;
  updatedAt?: string;
}

export interface ArticleStatus {
  articleId: string;
  known: boolean;
  title?: string;
  url?: string;
  firstSeenAt?: string;
  updatedAt?: string;
  heldBack?: string;
  posts: ArticlePostStatus[];
}

/** An article id ("a" + 16 hex digits, as logs and `schedule list` show them) or the article's link. */
export function articleIdOf(ref: string): string {
  const r = ref.trim();
  if (/^a[0-9a-f]{16}$/.test(r)) return r;
  if (isHttpUrl(r)) return articleId(canonicalKey(r));
  throw new OperationError(
    `"${ref}" is neither an article id (a + 16 hex digits) nor the article's http(s) link`,
  );
}

/**
 * Everything about one article in one place: whether it was seen, and per configured account what was posted
 * (with the platform's URL), what failed and why, or what it waits for.
 */
export async function collectArticleStatus(ctx: AppContext, ref: string): Promise<ArticleStatus> {
  const id = articleIdOf(ref);
  const stored = await ctx.articles.get(id);
  const posts: ArticlePostStatus[] = [];
  for (const rt of ctx.accounts.values()) {
    const platform = rt.config.platform;
    const account = rt.config.id;
    const jobId = publishJobId(id, account);
    const entry = await ctx.ledger.get({ articleId: id, platform, account });
    const queue = ctx.queues.publish[platform];
    const job = await queue.getJob(jobId);
    let jobState: string | undefined = job ? await job.getState() : undefined;
    let next: string | undefined;
    if (jobState === 'delayed') {
      const at = await delayedUntil(ctx.redis, ctx.settings.prefix, queue.name, jobId);
      next = at ? new Date(at).toISOString() : undefined;
    }
    if (!jobState && entry?.state === 'pending' && rt.config.schedule.mode === 'slots' && !entry.heldAt)
      jobState = 'slot';
    if (!entry && !job) {
      posts.push({ id: jobId, platform, account, state: 'none' });
      continue;
    }
    posts.push({
      id: jobId,
      platform,
      account,
      state: entry?.state ?? 'none',
      postId: entry?.postId,
      url: entry?.url,
      duplicate: entry?.duplicate,
      kind: entry?.kind,
      error: entry?.error ?? (jobState === 'failed' ? job?.failedReason : undefined),
      job: jobState,
      next,
      heldAt: entry?.heldAt,
      text: entry?.post.text,
      updatedAt: entry?.updatedAt,
    });
  }
  return {
    articleId: id,
    known: Boolean(stored),
    title: stored?.article.title,
    url: stored?.article.url,
    firstSeenAt: stored?.firstSeenAt,
    updatedAt: stored?.updatedAt,
    heldBack: stored?.heldBack,
    posts,
  };
}

/** `show` formats a time for an account (the CLI shows it in the schedule's zone with its offset). */
export function renderArticleStatus(
  s: ArticleStatus,
  show: (iso: string | undefined, account?: string) => string = (iso) => iso ?? '',
): string {
  const out = [
    s.known
      ? `${s.title} (${s.articleId})\n  ${s.url}\n  first seen ${show(s.firstSeenAt)}, last read ${show(s.updatedAt)}${s.heldBack ? `; remembered, not posted (${s.heldBack})` : ''}`
      : `${s.articleId}: not seen by Crier (or its record expired)`,
    '',
  ];
  for (const p of s.posts) {
    let line = `  ${`${p.platform}/${p.account}`.padEnd(28)} ${p.state}`;
    if (p.heldAt) line += ` (held since ${show(p.heldAt, p.account)})`;
    if (p.duplicate) line += ' (duplicate)';
    if (p.url) line += `  ${p.url}`;
    if (p.job && p.state !== 'posted')
      line += `  job ${p.job}${p.next ? ` until ${show(p.next, p.account)}` : ''}`;
    if (p.error) line += `\n  ${''.padEnd(28)} ${p.kind ? `${p.kind}: ` : ''}${p.error}`;
    out.push(line);
  }
  return out.join('\n');
}
