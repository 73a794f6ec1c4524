import type { AppContext } from '../context.js';
import type { LedgerEntry, LedgerState } from '../ledger/ledger.js';
import { littleTextFromPlain, unescapeLittleText } from '../platforms/linkedin/little-text.js';
import { checkPostText, type TextCheck } from '../summaries/validate.js';
import { OperationError, refFromId } from './posts.js';

/** Posts not sent (and not being sent) can be edited; a failed or cancelled one is then retried to send it. */
export const EDITABLE: readonly LedgerState[] = ['pending', 'awaiting-approval', 'failed', 'cancelled'];

/** An edit the validator refused: the message says why, `check` has the count. */
export class PostTextError extends OperationError {
  constructor(
    message: string,
    readonly check: TextCheck,
  ) {
    super(message);
    this.name = 'PostTextError';
  }
}

/** The text as sent, from what the operator typed (LinkedIn: little text with reserved characters escaped). */
export function textToSend(platform: string, typed: string): string {
  const plain = typed.replace(/\r\n?/g, '\n').trim();
  return platform === 'linkedin' ? littleTextFromPlain(plain) : plain;
}

/** What the operator edits: the post as a reader sees it (LinkedIn escapes undone). */
export function editableText(entry: Pick<LedgerEntry, 'platform' | 'post'>): string {
  return entry.platform === 'linkedin' ? unescapeLittleText(entry.post.text) : entry.post.text;
}

/** The validator's verdict on a text the operator typed, for a post (used live while typing, too). */
export function checkEdit(entry: Pick<LedgerEntry, 'platform' | 'post'>, typed: string): TextCheck {
  return checkPostText(entry.post, textToSend(entry.platform, typed));
}

/**
 * Replaces the text of a post not sent yet with the operator's, after the same checks as composed posts. The
 * post keeps it: a later correction of the article marks it "article changed since your edit" instead.
 */
export async function editPost(ctx: AppContext, id: string, typed: string): Promise<LedgerEntry> {
  const ref = refFromId(ctx, id);
  const entry = await ctx.ledger.get(ref);
  if (!entry) throw new OperationError(`no post ${id}: it was never composed, or its record expired`);
  if (!EDITABLE.includes(entry.state))
    throw new OperationError(
      `${id} is ${entry.state}: only posts not sent yet can be edited${entry.state === 'posted' ? ' (retract it and publish again)' : ''}`,
    );
  const text = textToSend(entry.platform, typed);
  const check = checkPostText(entry.post, text);
  if (!check.ok) throw new PostTextError(`${id}: ${check.problems.join('; ')}`, check);
  const job = await ctx.queues.publish[ref.platform].getJob(id);
  if (job && (await job.getState()) === 'active') throw new OperationError(`${id} is being sent right now`);
  const state = await ctx.ledger.editPost(ref, { ...entry.post, text }, EDITABLE);
  if (!state) throw new OperationError(`${id} changed meanwhile (it is being sent or was sent): look again`);
  return (await ctx.ledger.get(ref)) as LedgerEntry;
}
