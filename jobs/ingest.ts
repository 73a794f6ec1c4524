import { type Job, UnrecoverableError } from 'bullmq';
import type { Article } from '../src/articles/article.js';
import { isHttpUrl } from '../src/articles/location.js';
import { intakeOptions, isSourceError, readSource } from '../src/articles/read.js';
import type { AppContext } from '../src/context.js';
import { enqueueCompose } from '../src/queue/enqueue.js';
import type { IngestJobData, JobResult } from '../src/queue/job-data.js';
import { composeJobId } from '../src/queue/names.js';
import type { HeldBack } from '../src/sources/article-store.js';
import { holdBack, noticeWithdrawn } from '../src/sources/watch.js';
import { composePosts } from '../src/summaries/compose.js';

const PASSING = new Set(['timeout', 'network']);

/**
 * Reads a source and queues a compose job per new or corrected article. Articles are known by stable key
 * (canonical URL, else GUID), so a re-read source neither re-posts nor misses items. An explicit publish
 * (`force`) composes even a known article: the ledger still guarantees one post per account.
 */
export async function processIngest(ctx: AppContext, job: Job<IngestJobData>): Promise<JobResult> {
  const d = job.data;
  const source = d.sourceId ? ctx.config.sources.find((s) => s.id === d.sourceId) : undefined;
  const articles = await readSource(d.location, {
    ...intakeOptions(ctx.config, ctx.env),
    kind: d.kind,
    url: d.url,
    timeoutMs: ctx.config.publishing.requestTimeoutMs,
    policy: ctx.fetchPolicy,
    fullText: d.fullText ?? source?.fullText ?? 'auto',
    // A feed item completed from its page before, and unchanged in the feed since, is not fetched again.
    known: async (a) => (await ctx.articles.get(a.id))?.article,
    warn: (message) =>
      ctx.logger.warn(
        { event: 'intake-warning', source: d.sourceId ?? d.location, correlationId: d.correlationId },
        message,
      ),
  }).catch((e: unknown) => {
    // A source that is refused, broken, empty or too big stays so: no retry. Timeouts, network errors and
    // server errors may pass, and are retried.
    if (
      isSourceError(e) &&
      !PASSING.has(e.code) &&
      !(e.code === 'http' && ((e.status ?? 0) >= 500 || e.status === 429))
    )
      throw new UnrecoverableError(e.message);
    throw e;
  });
  if (d.dryRun) return dryRun(ctx, d, articles);
  return ingestArticles(ctx, d, articles);
}

/**
 * Remembers articles already read and queues a compose job for each new or corrected one (what an ingest job
 * does after reading its source; a CMS push through /hooks/articles starts here). `attributeTo` names the
 * configured source an article pushed without a source read belongs to (its approval and onWithdrawn apply).
 */
export async function ingestArticles(
  ctx: AppContext,
  d: IngestJobData,
  articles: Article[],
  opts: { attributeTo?: string } = {},
): Promise<JobResult> {
  const linked: Article[] = [];
  /** Every article listed, under the identity it has here (what the withdrawal check compares). */
  const listed: Article[] = [];
  for (const read of articles) {
    // A post always carries the article's link: an item without one is reported, not posted.
    if (isHttpUrl(read.url)) {
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
  const verdicts: Array<{ id: string; url: string; title: string; verdict: string }> = [];
  let fresh = 0;
  let corrected = 0;
  let unchanged = 0;
  for (const article of linked) {
    const { verdict, stored } = await ctx.articles.put(article, {
      heldBack: heldBack.get(article),
      sourceId: d.sourceId ?? opts.attributeTo,
    });
    verdicts.push({ id: article.id, url: article.url, title: article.title, verdict });
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
    articles: verdicts,
  };
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
