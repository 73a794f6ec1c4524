import type { Job, Queue } from 'bullmq';
import type { AppContext } from '../context.js';
import { delayedUntil } from '../control/delayed.js';
import { listScheduled } from '../control/posts.js';
import type { QuotaReading } from '../platforms/adapter.js';
import { listSchedulerHeartbeats, type SchedulerHeartbeat } from '../schedule/heartbeat.js';
import { type AccountSlots, nextSlots } from '../schedule/scheduler.js';
import type { UnfinishedWork } from './unfinished.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface AccountStatus {
  account: string;
  platform: string;
  /** ok | rate-limited | needs-attention | paused | disabled */
  health: string;
  until?: string;
  reason?: string;
  action?: string;
  budget?: { used: number; max: number; windowHours: number; remaining: number };
  /** The platform's own quota counters from its latest answer (X rate-limit headers, Graph usage). */
  quota?: QuotaReading;
}

export interface PostStatus {
  articleId: string;
  title: string;
  platform: string;
  account: string;
  state: string;
  postId?: string;
  url?: string;
  duplicate?: boolean;
  at?: string;
  /** Held by an operator since then ("crier release" lets it go). */
  heldAt?: string;
  updatedAt: string;
}

export interface FailureStatus {
  articleId?: string;
  title?: string;
  platform?: string;
  account?: string;
  jobId?: string;
  /** failed: gave up; held: waiting for the account; retrying: will retry; unconfirmed: may exist on the platform. */
  state: string;
  kind?: string;
  reason: string;
  nextAttemptAt?: string;
  updatedAt?: string;
}

export interface ScheduledStatus {
  jobId: string;
  queue: string;
  articleId?: string;
  platform?: string;
  account?: string;
  at: string;
  reason?: string;
}

export interface Status {
  generatedAt: string;
  prefix: string;
  queues: Record<string, QueueCounts>;
  accounts: AccountStatus[];
  posts: PostStatus[];
  failures: FailureStatus[];
  scheduled: ScheduledStatus[];
  /** Upcoming posting slots of slots-mode accounts, with times in the schedule's zone. */
  slots: AccountSlots[];
  /** Live scheduler processes. */
  schedulers: SchedulerHeartbeat[];
  /**
   * Work not finished at every stage (ingest, compose, publish), oldest first, with its reason and age:
   * what is waiting, running, delayed, failed, due or stuck.
   */
  unfinished: UnfinishedWork[];
}

async function counts(q: Queue): Promise<QueueCounts> {
  const c = await q.getJobCounts(
    'waiting',
    'active',
    'delayed',
    'completed',
    'failed',
    'prioritized',
    'waiting-children',
  );
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
  };
}

const iso = (ms?: number) => (ms ? new Date(ms).toISOString() : undefined);

export async function collectStatus(ctx: AppContext, opts: { limit?: number } = {}): Promise<Status> {
  const limit = opts.limit ?? 20;
  const queues: Record<string, QueueCounts> = {};
  for (const q of ctx.queues.all()) queues[q.name] = await counts(q);
  const { posts, failures } = await recentPosts(ctx, limit);
  const scheduled = await scheduledJobs(ctx, failures, limit);
  return {
    generatedAt: new Date().toISOString(),
    prefix: ctx.settings.prefix,
    queues,
    accounts: await accountStatuses(ctx),
    posts,
    failures,
    scheduled,
    slots: await nextSlots(ctx, 3),
    schedulers: await listSchedulerHeartbeats(ctx.redis, ctx.settings.prefix),
    unfinished: await unfinishedWork(ctx),
  };
}

async function accountStatuses(ctx: AppContext): Promise<AccountStatus[]> {
  const now = Date.now();
  const accounts: AccountStatus[] = [];
  for (const rt of ctx.accounts.values()) {
    const s = await ctx.accountStates.get(rt.config.id, now);
    const b = rt.config.budget;
    const used = b ? await ctx.budget.used(rt.config.id, b.windowHours * 3_600_000, now) : 0;
    accounts.push({
      account: rt.config.id,
      platform: rt.config.platform,
      // The workers' view wins over this process's own environment (status may run without the secrets).
      health:
        (s.worker ? !s.worker.ready : Boolean(rt.disabled)) && s.health === 'ok' ? 'disabled' : s.health,
      until: iso(s.until),
      reason: s.reason ?? (s.worker ? s.worker.reason : rt.disabled),
      action: s.action,
      budget: b
        ? { used, max: b.posts, windowHours: b.windowHours, remaining: Math.max(0, b.posts - used) }
        : undefined,
      quota: s.quota,
    });
  }
  return accounts;
}

/** The last posts and the failures among them, from the ledger. */
async function recentPosts(ctx: AppContext, limit: number) {
  const entries = await ctx.ledger.recent(limit * 3);
  const titles = new Map<string, string>();
  const titleOf = async (id: string) => {
    if (!titles.has(id)) titles.set(id, (await ctx.articles.get(id))?.article.title ?? '');
    return titles.get(id) ?? '';
  };
  const posts: PostStatus[] = [];
  const failures: FailureStatus[] = [];
  for (const e of entries) {
    const title = await titleOf(e.articleId);
    const { articleId, platform, account, state, postId, url, duplicate, at, heldAt, updatedAt } = e;
    if (posts.length < limit)
      posts.push({
        articleId,
        title,
        platform,
        account,
        state,
        postId,
        url,
        duplicate,
        at,
        heldAt,
        updatedAt,
      });
    if (e.error && e.state !== 'posted') {
      failures.push({
        articleId,
        title,
        platform,
        account,
        jobId: e.jobId,
        state: e.state === 'pending' ? (e.kind === 'auth' ? 'held' : 'retrying') : e.state,
        kind: e.kind,
        reason: e.error,
        updatedAt,
      });
    }
  }
  return { posts, failures };
}

/** Delayed jobs (with their times) and the failed jobs the ledger does not already list. */
async function scheduledJobs(ctx: AppContext, failures: FailureStatus[], limit: number) {
  const scheduled: ScheduledStatus[] = [];
  for (const q of ctx.queues.all()) {
    const delayed: Job[] = await q.getDelayed(0, 49);
    for (const j of delayed) {
      const at =
        (await delayedUntil(ctx.redis, ctx.settings.prefix, q.name, String(j.id))) ?? j.timestamp + j.delay;
      scheduled.push({
        jobId: String(j.id),
        queue: q.name,
        articleId: j.data?.articleId,
        platform: j.data?.platform,
        account: j.data?.account,
        at: new Date(at).toISOString(),
      });
      const f = failures.find((x) => x.jobId === j.id);
      if (f) f.nextAttemptAt = new Date(at).toISOString();
    }
    for (const j of (await q.getFailed(0, limit - 1)) as Job[]) {
      if (failures.some((f) => f.jobId === j.id)) continue;
      failures.push({
        jobId: String(j.id),
        articleId: j.data?.articleId,
        platform: j.data?.platform,
        account: j.data?.account,
        state: 'failed',
        reason: j.failedReason ?? 'unknown',
        updatedAt: iso(j.finishedOn),
      });
    }
  }
  return scheduled.sort((a, b) => a.at.localeCompare(b.at));
}

/** Every stage's unfinished work, oldest first (the schedule list's, without the post texts). */
async function unfinishedWork(ctx: AppContext): Promise<UnfinishedWork[]> {
  const listed = await listScheduled(ctx);
  return listed
    .map(({ text: _text, title: _title, ...w }) => ({
      ...w,
      since: w.since ?? new Date().toISOString(),
      ageSeconds: w.ageSeconds ?? 0,
      platform: w.platform || undefined,
      account: w.account || undefined,
      articleId: w.articleId || undefined,
    }))
    .sort((a, b) => a.since.localeCompare(b.since));
}
