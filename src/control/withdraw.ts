import { isHttpUrl } from '../articles/location.js';
import type { AppContext } from '../context.js';
import { fetchContent } from '../fetch/fetch.js';
import type { FetchPolicy } from '../fetch/policy.js';
import { publishJobId } from '../queue/names.js';
import { SlotQueue } from '../schedule/slot-queue.js';
import { retractArticle } from './retract.js';

/**
 * An article taken down by the site (404/410, or gone from its feed while newer than what the feed still
 * lists) must not be posted. Its posts not yet sent are cancelled and the operator is told in the log. When
 * its source says `onWithdrawn: retract`, its posts already published are deleted on their platforms too.
 */
export async function withdrawArticle(ctx: AppContext, articleId: string, reason: string): Promise<string[]> {
  const cancelled: string[] = [];
  const slots = new SlotQueue(ctx.redis, ctx.settings.prefix);
  for (const rt of ctx.accounts.values()) {
    const ref = { articleId, platform: rt.config.platform, account: rt.config.id };
    const entry = await ctx.ledger.get(ref);
    if (!entry || !['pending', 'failed'].includes(entry.state)) continue;
    const job = await ctx.queues.publish[ref.platform].getJob(publishJobId(articleId, ref.account));
    if (job && (await job.getState()) !== 'active') await job.remove().catch(() => {});
    await slots.remove(ref.account, articleId);
    await ctx.ledger.setState(ref, 'cancelled', { error: `article withdrawn: ${reason}` });
    cancelled.push(ref.account);
  }
  if (cancelled.length) {
    ctx.logger.warn(
      { articleId, accounts: cancelled, reason },
      'article withdrawn from the site: its posts were not sent',
    );
  }
  const sourceId = (await ctx.articles.get(articleId))?.sourceId;
  const source = sourceId ? ctx.config.sources.find((s) => s.id === sourceId) : undefined;
  if (source?.onWithdrawn === 'retract') await retractArticle(ctx, articleId, reason);
  return cancelled;
}

/**
 * HTTP status of the article page when it says the article is gone (404/410); null otherwise or when unsure.
 * The page is asked through the fetch policy like any other read of content.
 */
export async function goneStatus(
  url: string,
  timeoutMs = 5000,
  policy?: FetchPolicy,
): Promise<number | null> {
  if (!isHttpUrl(url)) return null;
  try {
    const res = await fetchContent(url, { method: 'HEAD', timeoutMs, policy });
    return res.status === 404 || res.status === 410 ? res.status : null;
  } catch {
    return null; // unreachable (or refused by the policy) is not "withdrawn"
  }
}
