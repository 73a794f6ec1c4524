import type { Job } from 'bullmq';
import { type AccountState, accountStateOf } from '../src/accounts/state.js';
import type { AppContext } from '../src/context.js';
import { notify } from '../src/control/notify.js';
import { goneStatus, withdrawArticle } from '../src/control/withdraw.js';
import { failpoint } from '../src/core/failpoint.js';
import { isPlatformFailure, type PublishedRef } from '../src/core/failure.js';
import type { LedgerEntry, LedgerRef, LedgerState } from '../src/ledger/ledger.js';
import type { AccountRuntime } from '../src/platforms/accounts.js';
import type { PlatformAdapter, QuotaReading } from '../src/platforms/adapter.js';
import type { JobResult, PublishJobData } from '../src/queue/job-data.js';
import { beatLeft, PROCESS_ID } from '../src/queue/process-beat.js';
import { delayJob } from './delay.js';
import { PermanentFailure } from './errors.js';

/** How often a paused account's posts look again. */
const PAUSE_RECHECK_MS = 60_000;

/** One attempt at one post: what the steps of `processPublish` share. */
export interface Attempt {
  ctx: AppContext;
  job: Job<PublishJobData>;
  token?: string;
  ref: LedgerRef;
  rt: AccountRuntime & { adapter: PlatformAdapter };
  entry: LedgerEntry;
  /** The member reserved in the account's posting budget (the job id), when the account has a budget. */
  budgetMember?: string;
  /** An earlier attempt may have created the post: look for it first, and never send it blind. */
  mayExist: boolean;
  /** What is being done: looking for an earlier attempt's post, or sending this one. */
  stage: 'lookup' | 'publish';
  /** When this attempt started (epoch ms). */
  startedAt: number;
  /** The account's state, read with the entry. */
  account: AccountState;
  /** The claim, when it was made with the entry's read (nothing could stand in its way). */
  claimed?: { previous: LedgerState; claimedAt: string };
  /** The platform's quota reading went to the account's state with the outcome. */
  quotaNoted?: boolean;
}

/** What the post is and whether there is anything to send; a result when there is nothing to do. */
export async function openAttempt(
  ctx: AppContext,
  job: Job<PublishJobData>,
  token?: string,
): Promise<(Omit<Attempt, 'rt'> & { rt: AccountRuntime }) | JobResult> {
  const d = job.data;
  const ref: LedgerRef = { articleId: d.articleId, platform: d.platform, account: d.account };
  const rt = ctx.accounts.get(d.account);
  if (!rt) throw new PermanentFailure('config', `account "${d.account}" is not in the configuration`);
  const startedAt = Date.now();
  // One round trip: the entry, the account's state, and the claim when nothing can stand between them (no dry
  // run, no budget to reserve, no withdrawal check of a waiting post; the script checks the entry and account).
  const quick =
    !ctx.settings.dryRun && !!rt.adapter && !rt.config.budget && rt.config.schedule.mode !== 'slots';
  // The script and the account's state below judge the account at the same instant.
  const begun = await ctx.ledger.begin(ref, { claim: quick, sender: PROCESS_ID, now: startedAt });
  const { entry, claimed } = begun;
  if (!entry) return { outcome: 'cancelled', detail: 'no ledger entry (cancelled or expired)' };
  if (entry.state === 'posted')
    return { outcome: 'already-posted', postId: entry.postId, postUrl: entry.url };
  if (entry.state === 'cancelled' || entry.state === 'retracted') return { outcome: 'cancelled' };
  // Never sent before an operator approves it, whatever queued this job (a slot, a retry).
  if (entry.state === 'awaiting-approval') return { outcome: 'held', detail: 'awaiting approval' };
  // An operator holds it: "crier release" queues it again.
  if (entry.heldAt) return { outcome: 'held', detail: `held by the operator since ${entry.heldAt}` };
  const account = accountStateOf(ref.account, begun.account, startedAt);
  return { ctx, job, token, ref, rt, entry, mayExist: false, stage: 'publish', startedAt, account, claimed };
}

/** A dry-run worker shows what it would send and leaves the job to a real worker: nothing is consumed. */
export async function leaveToRealWorker(a: Omit<Attempt, 'rt'>): Promise<void> {
  if (!a.ctx.settings.dryRun) return;
  a.ctx.logger.info(
    { jobId: a.job.id, platform: a.ref.platform, account: a.ref.account, text: a.entry.post.text },
    'dry run: would post',
  );
  await delayJob(
    a.job,
    a.token,
    Date.now() + a.ctx.config.publishing.holdRecheckMs,
    'dry-run worker: left for a real worker',
  );
}

/** Paused, rate-limited, without credentials or needing attention: the post waits (no attempt used). */
export async function waitForAccount(a: Omit<Attempt, 'rt'> & { rt: AccountRuntime }): Promise<Attempt> {
  const { ctx, job, token, rt, ref } = a;
  const now = Date.now();
  const recheck = now + ctx.config.publishing.holdRecheckMs;
  const state = a.account;
  if (state.health === 'paused') await delayJob(job, token, now + PAUSE_RECHECK_MS, 'account paused');
  if (state.health === 'rate-limited' && state.until)
    await delayJob(job, token, state.until, `account rate-limited: ${state.reason ?? ''}`.trim());
  if (!rt.adapter) {
    const todo = 'set the credentials in the environment and restart the workers';
    const reason = rt.disabled ?? 'disabled';
    const first = await ctx.accountStates.setNeedsAttention(ref.account, reason, todo, rt.fingerprint);
    if (first) {
      ctx.logger.warn({ account: ref.account, platform: ref.platform, reason }, 'account needs attention');
      await notify(ctx, {
        kind: 'needs-attention',
        account: ref.account,
        platform: ref.platform,
        reason,
        action: todo,
      });
    }
    return delayJob(job, token, recheck, `held: ${rt.disabled}`);
  }
  if (state.health === 'needs-attention') {
    if (state.fingerprint === rt.fingerprint) await delayJob(job, token, recheck, `held: ${state.reason}`);
    await ctx.accountStates.clearAttention(ref.account);
    ctx.logger.info({ account: ref.account, platform: ref.platform }, 'credentials changed: account resumed');
  }
  return { ...a, rt: rt as Attempt['rt'] };
}

/** A post that waited (scheduled, or for a slot) may point at an article the site has since taken down. */
export async function withdrawnMeanwhile(a: Attempt): Promise<JobResult | null> {
  const { ctx, entry } = a;
  if (!entry.at && a.rt.config.schedule.mode !== 'slots') return null;
  const gone = await goneStatus(
    entry.post.link,
    Math.min(5000, ctx.config.publishing.requestTimeoutMs),
    ctx.fetchPolicy,
  );
  if (!gone) return null;
  await withdrawArticle(ctx, a.ref.articleId, `${entry.post.link} answers HTTP ${gone}`);
  return { outcome: 'cancelled', detail: `article withdrawn (HTTP ${gone})` };
}

/** The account's posting budget, enforced across all workers before any API call; over it, the post waits. */
export async function reserveBudget(a: Attempt): Promise<void> {
  const budget = a.rt.config.budget;
  if (!budget) return;
  const member = String(a.job.id);
  const windowMs = budget.windowHours * 3_600_000;
  const retryAt = await a.ctx.budget.reserve(a.ref.account, member, budget.posts, windowMs, Date.now());
  if (retryAt !== null)
    await delayJob(
      a.job,
      a.token,
      retryAt,
      `posting budget of ${budget.posts} per ${budget.windowHours} h used`,
    );
  a.budgetMember = member;
}

/**
 * Claims the entry (pending|unconfirmed|sending → sending). A previous attempt that died while sending, or
 * whose answer never came back, may have created the post: until a look-up says otherwise it may exist.
 * Returns a result when the ledger refuses (posted or cancelled meanwhile).
 */
export async function claim(a: Attempt): Promise<JobResult | null> {
  if (a.entry.state === 'sending') await waitForEarlierSender(a);
  const claimed = a.claimed
    ? { ok: true as const, ...a.claimed }
    : await a.ctx.ledger.claim(a.ref, PROCESS_ID);
  if (claimed.ok) {
    await claimReplicated(a, claimed.previous);
    failpoint('publish:after-claim');
    a.mayExist = claimed.previous === 'sending' || claimed.previous === 'unconfirmed';
    a.entry = { ...a.entry, claimedAt: claimed.claimedAt };
    return null;
  }
  if (a.budgetMember) await a.ctx.budget.release(a.ref.account, a.budgetMember);
  if (claimed.state === 'posted')
    return { outcome: 'already-posted', postId: claimed.entry?.postId, postUrl: claimed.entry?.url };
  return { outcome: 'cancelled', detail: `ledger state ${claimed.state}` };
}

/** How long a claim waits for its replicas' confirmation. */
const REPLICA_WAIT_MS = 1000;

/**
 * With replicas to wait for (Sentinel), the claim must be on them before anything is sent: a failover that
 * lost it would let a re-run send the post blind. It waits for the replicas connected now (at most
 * CRIER_REDIS_REPLICAS): a master left without any, after a failover, has nothing to fail over to. Unconfirmed,
 * the claim is undone and the post waits a moment.
 */
async function claimReplicated(a: Attempt, previous: LedgerState): Promise<void> {
  const wanted = Math.min(a.ctx.settings.redisReplicas, await connectedReplicas(a.ctx.redis));
  if (wanted <= 0) return;
  const acked = await a.ctx.ledger.replicated(wanted, REPLICA_WAIT_MS);
  if (acked >= wanted) return;
  const back = previous === 'pending' ? 'pending' : 'unconfirmed';
  await a.ctx.ledger.settle(a.ref, { state: back, kind: a.entry.kind, error: a.entry.error });
  if (a.budgetMember && back === 'pending') await a.ctx.budget.release(a.ref.account, a.budgetMember);
  await delayJob(
    a.job,
    a.token,
    Date.now() + REPLICA_WAIT_MS,
    `${acked} of ${wanted} Redis replicas confirmed the claim`,
  );
}

const replicaCounts = new WeakMap<object, { n: number; at: number }>();

/** How many replicas the master has now (ROLE), read at most every 5 s. */
async function connectedReplicas(redis: Attempt['ctx']['redis']): Promise<number> {
  const cached = replicaCounts.get(redis);
  if (cached && Date.now() - cached.at < 5000) return cached.n;
  const role = (await redis.call('ROLE')) as [string, number?, unknown[]?];
  const n = role[0] === 'master' && Array.isArray(role[2]) ? role[2].length : 0;
  replicaCounts.set(redis, { n, at: Date.now() });
  return n;
}

/** An attempt's calls to the platform (image upload, then the post) all end within this many request timeouts. */
const CALLS_PER_ATTEMPT = 4;

/**
 * The attempt that left `sending` may still be sending: its process beats, but its lock lapsed (a slow
 * machine) and BullMQ handed the job over. Its calls end within their deadlines, so the look-up waits until
 * they must have ended, or until its process is gone, whichever comes first (no attempt used).
 */
async function waitForEarlierSender(a: Attempt): Promise<void> {
  const { sender, sendingAt } = a.entry;
  if (!sender || !sendingAt) return;
  const ended = sendingAt + CALLS_PER_ATTEMPT * a.ctx.config.publishing.requestTimeoutMs;
  if (Date.now() >= ended) return;
  const left = await beatLeft(a.ctx.redis, a.ctx.settings.prefix, sender);
  if (left <= 0) return;
  const until = Math.min(ended, Date.now() + left + 250);
  await delayJob(a.job, a.token, until, `an earlier attempt (process ${sender}) may still be sending`);
}

/**
 * When the post may exist, looks for it on the platform among everything the account posted since the first
 * attempt's claim. Threads go straight back through publish: the adapter recognises the head and sends only
 * the missing replies.
 */
export async function lookUp(a: Attempt): Promise<PublishedRef | null> {
  if (!a.mayExist || a.entry.post.thread?.length) return null;
  a.stage = 'lookup';
  const since = a.entry.claimedAt ? new Date(a.entry.claimedAt) : undefined;
  let found: PublishedRef | null;
  try {
    found = await a.rt.adapter.find(a.entry.post, { since });
  } catch (err) {
    if (!sendAnyway(a, err)) throw err;
    return null; // the post may still exist: the platform's own duplicate check stops a second copy
  }
  a.stage = 'publish';
  if (!found) a.mayExist = false; // looked, and it is not there
  return found;
}

/**
 * A refused look-up (not a rate limit, not an expired token) on an account whose config trusts the
 * platform's own duplicate check: the post is sent again rather than left for the operator.
 */
function sendAnyway(a: Attempt, err: unknown): boolean {
  if (!a.rt.config.trustDuplicateCheck || !isPlatformFailure(err)) return false;
  if (err.kind === 'rate-limited' || (err.kind === 'auth' && err.status === 401)) return false;
  a.stage = 'publish';
  a.ctx.logger.warn(
    { articleId: a.ref.articleId, account: a.ref.account, platform: a.ref.platform, error: err.message },
    'look-up refused: sending again, the platform refuses a duplicate by itself (trustDuplicateCheck)',
  );
  return true;
}

/** The post is on the platform: the ledger says where (the budget reservation stays spent). */
export async function recordPosted(
  a: Attempt,
  posted: PublishedRef,
  outcome: 'posted' | 'reconciled',
): Promise<JobResult> {
  await a.ctx.ledger.settle(a.ref, { state: 'posted', existing: posted, quota: quotaOf(a) });
  return { outcome, postId: posted.postId, postUrl: posted.url };
}

/** The adapter's latest quota reading, to record with the outcome (one write for both). */
export function quotaOf(a: Attempt): QuotaReading | undefined {
  const quota = a.rt.adapter.quota?.();
  if (quota) a.quotaNoted = true;
  return quota;
}

/**
 * What the platform's answers said of the account's quota goes to its state (status shows it); a quota used
 * up makes the account wait until it comes back, so no call is made only to be refused.
 */
export async function noteQuota(a: Attempt): Promise<void> {
  const { ctx, ref } = a;
  try {
    const quota = a.rt.adapter.quota?.();
    if (!quota) return;
    if (!a.quotaNoted) await ctx.accountStates.recordQuota(ref.account, quota);
    const until = quota.exhaustedUntil ? Date.parse(quota.exhaustedUntil) : 0;
    if (until <= Date.now()) return;
    // A refusal (429) already set the wait with the platform's own words: keep them.
    if (((await ctx.accountStates.get(ref.account)).until ?? 0) >= until) return;
    await ctx.accountStates.setRateLimited(ref.account, until, `quota used up: ${quota.detail}`);
  } catch (err) {
    ctx.logger.warn({ account: ref.account, err: (err as Error).message }, 'quota not recorded');
  }
}
