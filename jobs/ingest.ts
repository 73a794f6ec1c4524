import type { Job } from 'bullmq';
import type { AppContext } from '../src/app/context.js';
import type { Article } from '../src/articles/article.js';
import { applyBacklogRules } from '../src/articles/backlog.js';
import { readSource } from '../src/articles/read.js';
import { withdrawArticle } from '../src/operations/withdraw.js';
import { enqueueCompose } from '../src/queue/enqueue.js';
import type { IngestJobData, JobResult } from '../src/queue/job-data.js';
import { composeJobId } from '../src/queue/names.js';
import type { HeldBack } from '../src/store/articles.js';
import { composePosts } from '../src/summaries/compose.js';

/**
 * Reads a source and queues a compose job per new or corrected article. Articles are known by stable key
 * (canonical URL, else GUID), so a re-read source neither re-posts nor misses items. An explicit publish
 * (`force`) composes even a known article: the ledger still guarantees one post per account.
 */
export async function processIngest(ctx: AppContext, job: Job<IngestJobData>): Promise<JobResult> {
  const d = job.data;
  const articles = await readSource(d.location, {
    kind: d.kind,
    url: d.url,
    timeoutMs: ctx.config.publishing.requestTimeoutMs,
  });
  if (d.dryRun) return dryRun(ctx, d, articles);
  const linked: Article[] = [];
  /** Every article listed, under the identity it has here (what the withdrawal check compares). */
  const listed: Article[] = [];
  for (const read of articles) {
    // A post always carries the article's link: an item without one is reported, not posted.
    if (/^https?:\/\//i.test(read.url)) {
      // An article whose link changed (an edited slug) is known by its GUID: the same article, not a new one.
      const { article, movedFrom } = await ctx.articles.resolve(read);
      if (movedFrom)
        ctx.logger.info(
          { articleId: article.id, from: movedFrom, to: article.url, correlationId: d.correlationId },
          'article moved to a new address: the same article, not posted again',
        );
      linked.push(article);
      listed.push(article);
    } else {
      listed.push(read);
      ctx.logger.warn(
        { source: d.location, title: read.title, correlationId: d.correlationId },
        'article has no web link: not posted (give the source a url)',
      );
    }
  }
  const heldBack = await holdBack(ctx, d, linked);
  let fresh = 0;
  let corrected = 0;
  let unchanged = 0;
  for (const article of linked) {
    const { verdict, stored } = await ctx.articles.put(article, { heldBack: heldBack.get(article) });
    if (verdict === 'new') fresh += 1;
    else if (verdict === 'corrected') corrected += 1;
    else unchanged += 1;
    // An article held back stays unposted, corrections included; an explicit publish posts anything.
    if (!d.force && (verdict === 'unchanged' || stored.heldBack)) continue;
    await enqueueCompose(
      ctx,
      {
        articleId: article.id,
        platforms: d.platforms,
        at: d.at,
        correlationId: d.correlationId,
      },
      { jobId: composeJobId(article.id, d.force ? d.correlationId : stored.version) },
    );
    ctx.logger.info(
      {
        articleId: article.id,
        title: article.title,
        url: article.url,
        verdict,
        correlationId: d.correlationId,
      },
      'article ingested',
    );
  }
  const withdrawn = d.sourceId ? await noticeWithdrawn(ctx, d.sourceId, listed) : 0;
  const count = (why: HeldBack) => [...heldBack.values()].filter((h) => h === why).length;
  return {
    outcome: 'ingested',
    found: articles.length,
    new: fresh,
    corrected,
    unchanged,
    linkless: articles.length - linked.length,
    backlog: count('backlog'),
    tooOld: count('too-old'),
    withdrawn,
  };
}

const sourceItemsKey = (ctx: AppContext, sourceId: string) =>
  `${ctx.settings.prefix}:source-items:${sourceId}`;

/**
 * A configured source's new articles that are only remembered, not posted: the older part of its backlog
 * at the first look (or the first after a silence longer than the retention), and any older than its
 * `maxAgeHours`. An explicit publish is never held back.
 */
async function holdBack(
  ctx: AppContext,
  d: IngestJobData,
  linked: Article[],
): Promise<Map<Article, HeldBack>> {
  const held = new Map<Article, HeldBack>();
  const source = d.sourceId && !d.force ? ctx.config.sources.find((s) => s.id === d.sourceId) : undefined;
  if (!source) return held;
  const known = await Promise.all(linked.map((a) => ctx.articles.get(a.id)));
  const fresh = linked.filter((_, i) => !known[i]);
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
        correlationId: d.correlationId,
      },
      verdict.backlog.length
        ? `first look at source "${source.id}": older articles remembered, not posted (backlog: ${source.backlog})`
        : `source "${source.id}": articles older than ${source.maxAgeHours} h remembered, not posted`,
    );
  return held;
}

/** Dry run: compose and log what would be posted; the article is not even remembered as seen. */
async function dryRun(ctx: AppContext, d: IngestJobData, articles: Article[]): Promise<JobResult> {
  const accounts = ctx.config.accounts.filter(
    (a) => a.enabled && (!d.platforms || d.platforms.includes(a.platform)),
  );
  let n = 0;
  for (const article of articles) {
    for (const p of await composePosts(article, accounts, ctx.config, { env: ctx.env })) {
      n += 1;
      ctx.logger.info(
        {
          articleId: article.id,
          platform: p.platform,
          account: p.account,
          text: p.text,
          link: p.link,
          correlationId: d.correlationId,
        },
        'dry run: would post',
      );
    }
  }
  return { outcome: 'dry-run', posts: n };
}

interface ListedItem {
  id: string;
  publishedAt?: string;
}

/**
 * A feed lists its newest items; an item that leaves it while newer than the oldest item still listed was
 * taken down, not pushed out. Its posts not yet sent are cancelled.
 */
async function noticeWithdrawn(ctx: AppContext, sourceId: string, articles: Article[]): Promise<number> {
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
