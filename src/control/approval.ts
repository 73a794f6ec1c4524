import type { AppContext } from '../context.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { publishJobId } from '../queue/names.js';
import { awaitingKey, OperationError, refFromId, sendOnItsWay } from './posts.js';

/**
 * Whether an account's posts of an article wait for an operator: `approval: required` on the account, or on
 * the configured source the article came from.
 */
export function needsApproval(ctx: AppContext, account: string, sourceId?: string): boolean {
  if (ctx.accounts.get(account)?.config.approval === 'required') return true;
  const source = sourceId ? ctx.config.sources.find((s) => s.id === sourceId) : undefined;
  return source?.approval === 'required';
}

/** Lists a freshly composed post as awaiting approval (compose calls it; nothing is queued). */
export async function noteAwaiting(ctx: AppContext, articleId: string, account: string): Promise<void> {
  await ctx.redis.zadd(awaitingKey(ctx), 'NX', String(Date.now()), publishJobId(articleId, account));
}

async function awaitingEntry(ctx: AppContext, id: string) {
  const ref = refFromId(ctx, id);
  const entry = await ctx.ledger.get(ref);
  if (!entry) throw new OperationError(`no post ${id}: it was never composed, or its record expired`);
  if (entry.state !== 'awaiting-approval')
    throw new OperationError(`${id} is not awaiting approval (it is ${entry.heldAt ? 'held' : entry.state})`);
  return { ref, entry };
}

/**
 * Approves a post: it goes at its planned time if that is still ahead, else at the account's next posting slot
 * (slots mode) or now, exactly as if it had never waited.
 */
export async function approvePost(ctx: AppContext, id: string): Promise<LedgerEntry> {
  const { ref, entry } = await awaitingEntry(ctx, id);
  if (!(await ctx.ledger.transition(ref, 'awaiting-approval', 'pending')))
    throw new OperationError(
      `${id} changed meanwhile: look again ("crier status --article ${ref.articleId}")`,
    );
  await ctx.redis.zrem(awaitingKey(ctx), id);
  await sendOnItsWay(ctx, ref, entry);
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}

/** Rejects a post awaiting approval: it is cancelled and never sent (a later "crier retry" could still send it). */
export async function rejectPost(ctx: AppContext, id: string): Promise<LedgerEntry> {
  const { ref } = await awaitingEntry(ctx, id);
  if (
    !(await ctx.ledger.transition(ref, 'awaiting-approval', 'cancelled', {
      error: 'rejected by the operator',
    }))
  )
    throw new OperationError(
      `${id} changed meanwhile: look again ("crier status --article ${ref.articleId}")`,
    );
  await ctx.redis.zrem(awaitingKey(ctx), id);
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}
