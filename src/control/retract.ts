import type { AppContext } from '../context.js';
import { isPlatformFailure } from '../core/failure.js';
import { scrubSecrets } from '../core/logger.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { publishJobId } from '../queue/names.js';
import { platformLabel } from '../summaries/validate.js';
import { notify } from './notify.js';
import { OperationError, refFromId } from './posts.js';

export interface Retracted {
  entry: LedgerEntry;
  /** deleted now, or already gone from the platform (deleted there before). */
  outcome: 'deleted' | 'already-gone';
}

/**
 * Deletes a published post on its platform and records it `retracted` in the ledger: it is never posted again
 * (the ledger entry stays; a later compose or retry of the article finds it). Deleting is idempotent: a post
 * already gone from the platform is retracted too.
 */
export async function retractPost(
  ctx: AppContext,
  id: string,
  why = 'Retracted by the operator.',
): Promise<Retracted> {
  const ref = refFromId(ctx, id);
  const entry = await ctx.ledger.get(ref);
  if (!entry) throw new OperationError(`no post ${id}: it was never composed, or its record expired`);
  if (entry.state === 'retracted')
    throw new OperationError(`${id} is already retracted (${entry.retractedAt})`);
  if (entry.state !== 'posted')
    throw new OperationError(
      `${id} is ${entry.state}, not published: "crier cancel ${id}" keeps it from going out`,
    );
  if (!entry.postId)
    throw new OperationError(
      `${id} is posted but the platform's id of it is unknown (recorded as a duplicate): delete it on ${platformLabel(ref.platform)}`,
    );
  const adapter = ctx.accounts.get(ref.account)?.adapter;
  if (!adapter)
    throw new OperationError(
      `${ref.account} cannot reach ${platformLabel(ref.platform)} from here (${ctx.accounts.get(ref.account)?.disabled ?? 'no credentials'})`,
    );
  let outcome: Retracted['outcome'];
  try {
    outcome = (await adapter.delete(entry.postId)).outcome;
  } catch (err) {
    const message = scrubSecrets((err as Error).message);
    if (isPlatformFailure(err))
      throw new OperationError(
        `${platformLabel(ref.platform)} refused to delete ${id} (${err.kind}): ${message}`,
      );
    throw new OperationError(`deleting ${id} on ${platformLabel(ref.platform)} failed: ${message}`);
  }
  const at = new Date().toISOString();
  await ctx.ledger.transition(ref, 'posted', 'retracted', { retractedAt: at });
  ctx.logger.warn(
    {
      event: 'retracted',
      jobId: id,
      articleId: ref.articleId,
      platform: ref.platform,
      account: ref.account,
      postId: entry.postId,
      outcome,
    },
    'post retracted: deleted on the platform',
  );
  const title = (await ctx.articles.get(ref.articleId))?.article.title;
  await notify(ctx, {
    kind: 'retracted',
    id,
    account: ref.account,
    platform: ref.platform,
    title,
    url: entry.url,
    why,
  });
  return { entry: (await ctx.ledger.get(ref)) as LedgerEntry, outcome };
}

/** Retracts every published post of an article (its source says `onWithdrawn: retract`). Returns the ids retracted. */
export async function retractArticle(ctx: AppContext, articleId: string, reason: string): Promise<string[]> {
  const done: string[] = [];
  for (const rt of ctx.accounts.values()) {
    const ref = { articleId, platform: rt.config.platform, account: rt.config.id };
    const entry = await ctx.ledger.get(ref);
    if (entry?.state !== 'posted' || !entry.postId) continue;
    const id = publishJobId(articleId, ref.account);
    try {
      await retractPost(ctx, id, `The article was withdrawn from the site (${reason}).`);
      done.push(id);
    } catch (err) {
      ctx.logger.error(
        {
          event: 'retract-failed',
          jobId: id,
          articleId,
          account: ref.account,
          error: (err as Error).message,
        },
        'withdrawn article: a post could not be retracted; delete it on the platform',
      );
    }
  }
  return done;
}
