import type { AppContext } from '../context.js';
import type { PlatformName } from '../core/platform.js';
import type { LedgerEntry, LedgerState } from '../ledger/ledger.js';
import type { PlatformRules } from '../summaries/platforms/types.js';
import { annotated, askedRules, rulesOf } from '../summaries/rules.js';
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

/**
 * The rules an edit of this post is held to: its account's, as composing for publishing takes them (a limit the
 * account pinned, or the one its instance reports).
 */
export async function editRules(
  ctx: Pick<AppContext, 'config' | 'env'>,
  entry: Pick<LedgerEntry, 'platform' | 'account'>,
): Promise<PlatformRules> {
  const account = ctx.config.accounts.find((a) => a.id === entry.account && a.platform === entry.platform);
  return account ? askedRules(account, ctx.env) : rulesOf(entry.platform);
}

/** The text as sent, from what the operator typed (as the platform's rules take plain text: LinkedIn escapes it). */
export function textToSend(platform: PlatformName, typed: string): string {
  const plain = typed.replace(/\r\n?/g, '\n').trim();
  const plainText = rulesOf(platform).plainText;
  return plainText ? plainText.toSend(plain) : plain;
}

/** What the operator edits: the post as a reader sees it (the platform's `display`: LinkedIn escapes undone). */
export function editableText(entry: Pick<LedgerEntry, 'platform' | 'post'>): string {
  const { display } = rulesOf(entry.platform);
  return display ? display(entry.post.text) : entry.post.text;
}

/** The validator's verdict on a text the operator typed, for a post (used live while typing, too). */
export function checkEdit(
  entry: Pick<LedgerEntry, 'platform' | 'post'>,
  typed: string,
  rules: PlatformRules = rulesOf(entry.platform),
): TextCheck {
  return checkPostText(entry.post, textToSend(entry.platform, typed), rules);
}

export interface EditedPost {
  entry: LedgerEntry;
  /** The validator's verdict on the text saved (its count). */
  check: TextCheck;
}

/**
 * Replaces the text of a post not sent yet with the operator's, after the same checks as composed posts, and
 * derives again what the platform derives from the text (rich-text facets). The post keeps it: a later correction
 * of the article marks it "article changed since your edit" instead.
 */
export async function editPost(ctx: AppContext, id: string, typed: string): Promise<EditedPost> {
  const ref = refFromId(ctx, id);
  const entry = await ctx.ledger.get(ref);
  if (!entry) throw new OperationError(`no post ${id}: it was never composed, or its record expired`);
  if (!EDITABLE.includes(entry.state))
    throw new OperationError(
      `${id} is ${entry.state}: only posts not sent yet can be edited${entry.state === 'posted' ? ' (retract it and publish again)' : ''}`,
    );
  const rules = await editRules(ctx, entry);
  const text = textToSend(entry.platform, typed);
  const check = checkPostText(entry.post, text, rules);
  if (!check.ok) throw new PostTextError(`${id}: ${check.problems.join('; ')}`, check);
  const job = await ctx.queues.publish[ref.platform].getJob(id);
  if (job && (await job.getState()) === 'active') throw new OperationError(`${id} is being sent right now`);
  const state = await ctx.ledger.editPost(ref, annotated(rules, { ...entry.post, text }), EDITABLE);
  if (!state) throw new OperationError(`${id} changed meanwhile (it is being sent or was sent): look again`);
  return { entry: (await ctx.ledger.get(ref)) as LedgerEntry, check };
}
