/**
 * Watching a configured source between two looks at it: what it listed last time tells a first look from the
 * others (for the backlog rule) and an item taken down from one merely pushed out of the feed.
 */

import type { Article } from '../articles/article.js';
import { applyBacklogRules } from '../articles/backlog.js';
import type { AppContext } from '../context.js';
import { withdrawArticle } from '../control/withdraw.js';
import { redisKeys } from '../queue/keys.js';
import type { HeldBack } from './article-store.js';

const sourceItemsKey = (ctx: AppContext, sourceId: string) =>
  redisKeys(ctx.settings.prefix).sourceItems(sourceId);

/**
 * A configured source's new articles that are only remembered, not posted: the older part of its backlog
 * at the first look (or the first after a silence longer than the retention), and any older than its
 * `maxAgeHours`. An explicit publish is never held back.
 */
export async function holdBack(
  ctx: AppContext,
  read: { sourceId?: string; force?: boolean; correlationId: string },
  linked: Article[],
): Promise<Map<Article, HeldBack>> {
  const held = new Map<Article, HeldBack>();
  const source =
    read.sourceId && !read.force ? ctx.config.sources.find((s) => s.id === read.sourceId) : undefined;
  if (!source) return held;
  const known = await ctx.articles.getMany(linked.map((a) => a.id));
  const fresh = linked.filter((a) => !known.has(a.id));
  if (fresh.length === 0) return held;
  const firstLook = (await ctx.redis.exists(sourceItemsKey(ctx, source.id))) === 0;
  const verdict = applyBacklogRules(fresh, source, { firstLook, now: Date.now() });
  for (const a of verdict.backlog) held.set(a, 'backlog');
  for (const a of verdict.tooOld) held.set(a, 'too-old');
  if (held.size)
    ctx.logger.info(
      {
        source: source.id,
        backlog: verdict.backlog.length,
        tooOld: verdict.tooOld.length,
        posted: verdict.post.length,
        correlationId: read.correlationId,
      },
      verdict.backlog.length
        ? `first look at source "${source.id}": older articles remembered, not posted (backlog: ${source.backlog})`
        : `source "${source.id}": articles older than ${source.maxAgeHours} h remembered, not posted`,
    );
  return held;
}

interface ListedItem {
  id: string;
  publishedAt?: string;
}

/**
 * A feed lists its newest items; an item that leaves it while newer than the oldest item still listed was
 * taken down, not pushed out. Its posts not yet sent are cancelled.
 */
export async function noticeWithdrawn(
  ctx: AppContext,
  sourceId: string,
  articles: Article[],
): Promise<number> {
  const key = sourceItemsKey(ctx, sourceId);
  const previous: ListedItem[] = JSON.parse((await ctx.redis.get(key)) ?? '[]');
  const current: ListedItem[] = articles.map((a) => ({ id: a.id, publishedAt: a.publishedAt }));
  await ctx.redis.set(
    key,
    JSON.stringify(current),
    'EX',
    Math.round(ctx.config.publishing.retentionDays * 86_400),
  );
  const dates = current.map((c) => (c.publishedAt ? Date.parse(c.publishedAt) : Number.NaN));
  if (current.length === 0 || dates.some(Number.isNaN)) return 0;
  const oldest = Math.min(...dates);
  const ids = new Set(current.map((c) => c.id));
  let n = 0;
  for (const p of previous) {
    if (ids.has(p.id) || !p.publishedAt || Date.parse(p.publishedAt) <= oldest) continue;
    if ((await withdrawArticle(ctx, p.id, `no longer in source "${sourceId}"`)).length) n += 1;
  }
  return n;
}
