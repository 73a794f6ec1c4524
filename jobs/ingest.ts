import type { Job } from 'bullmq';
import type { Article } from '../src/articles/article.js';
import { isHttpUrl } from '../src/articles/location.js';
import { intakeOptions, isSourceError, readSource } from '../src/articles/read.js';
import type { AppContext } from '../src/context.js';
import { failpoint } from '../src/core/failpoint.js';
import { type ComposeDue, ComposeDueList } from '../src/ledger/compose-due.js';
import { enqueueComposeMany } from '../src/queue/enqueue.js';
import type { IngestJobData, JobResult } from '../src/queue/job-data.js';
import { composeJobId } from '../src/queue/names.js';
import { articleVersion, type HeldBack, type StoredArticle } from '../src/sources/article-store.js';
import { holdBack, noticeWithdrawn } from '../src/sources/watch.js';
import { composePosts } from '../src/summaries/compose.js';
import { PermanentFailure, RetryableFailure } from './errors.js';

/**
 * Reads a source and queues a compose job per new or corrected article. Articles are known by stable key
 * (canonical URL, else GUID), so a re-read source neither re-posts nor misses items. An explicit publish
 * (`force`) composes even a known article: the ledger still guarantees one post per account.
 *
 * Re-entrant: each article to compose is marked due before it is stored and unmarked once its compose job
 * (idempotent id) is queued, so a run killed half-way is finished by its re-run or by the reconciler.
 */
export async function processIngest(ctx: AppContext, job: Job<IngestJobData>): Promise<JobResult> {
  const d = job.data;
  const articles = await read(ctx, d);
  if (d.dryRun) return dryRun(ctx, d, articles);
  return ingestArticles(ctx, d, articles, { jobId: String(job.id) });
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
  opts: { attributeTo?: string; jobId?: string } = {},
): Promise<JobResult> {
  const { linked, listed } = await identify(ctx, d, articles);
  const heldBack = await holdBack(ctx, d, linked);
  const { verdicts, ...counts } = await storeAndQueue(ctx, d, linked, heldBack, opts);
  const withdrawn = d.sourceId ? await noticeWithdrawn(ctx, d.sourceId, listed) : 0;
  const count = (why: HeldBack) => [...heldBack.values()].filter((h) => h === why).length;
  return {
    outcome: 'ingested',
    found: articles.length,
    ...counts,
    linkless: articles.length - linked.length,
    backlog: count('backlog'),
    tooOld: count('too-old'),
    withdrawn,
    articles: verdicts,
  };
}

/** The source's articles; a source that cannot be read is a classified failure ("source: …"). */
async function read(ctx: AppContext, d: IngestJobData): Promise<Article[]> {
  const source = d.sourceId ? ctx.config.sources.find((s) => s.id === d.sourceId) : undefined;
  try {
    return await readSource(d.location, {
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
    });
  } catch (err) {
    if (!isSourceError(err)) throw err;
    const passing =
      ['timeout', 'network'].includes(err.code) || (err.status ?? 0) >= 500 || err.status === 429;
    throw passing ? new RetryableFailure('source', err.message) : new PermanentFailure('source', err.message);
  }
}

/** Each article under the identity it already has here; items without a web link are reported, not posted. */
async function identify(ctx: AppContext, d: IngestJobData, articles: Article[]) {
  const linked: Article[] = [];
  /** Every article listed, under the identity it has here (what the withdrawal check compares). */
  const listed: Article[] = [];
  for (const read of articles) {
    if (!isHttpUrl(read.url)) {
      listed.push(read);
      ctx.logger.warn(
        { source: d.location, title: read.title, correlationId: d.correlationId },
        'article has no web link: not posted (give the source a url)',
      );
      continue;
    }
    // An article whose link changed (an edited slug) is known by its GUID: the same article, not a new one.
    const { article, movedFrom } = await ctx.articles.resolve(read);
    if (movedFrom)
      ctx.logger.info(
        { articleId: article.id, from: movedFrom, to: article.url, correlationId: d.correlationId },
        'article moved to a new address: the same article, not posted again',
      );
    linked.push(article);
    listed.push(article);
  }
  return { linked, listed };
}

/** Stores each article and queues a compose job for the new and corrected ones, remembering progress. */
async function storeAndQueue(
  ctx: AppContext,
  d: IngestJobData,
  linked: Article[],
  heldBack: Map<Article, HeldBack>,
  opts: { attributeTo?: string; jobId?: string },
) {
  const dueList = new ComposeDueList(ctx.state, ctx.settings.prefix);
  const ids = linked.map((a) => a.id);
  const { known, leftOver } = await knownAndLeftOver(ctx, dueList, ids);
  const due = new Map<string, ComposeDue>();
  for (const article of linked) {
    const prev = known.get(article.id);
    const version = articleVersion(article);
    // An article held back stays unposted, corrections included; an explicit publish posts anything.
    const held = prev ? prev.heldBack : heldBack.get(article);
    const wanted = d.force || (!held && (prev?.version !== version || leftOver.has(article.id)));
    if (!wanted) continue;
    const data = { articleId: article.id, platforms: d.platforms, at: d.at, correlationId: d.correlationId };
    const jobId = composeJobId(article.id, d.force ? d.correlationId : version);
    due.set(article.id, {
      articleId: article.id,
      jobId,
      data,
      ingestJobId: opts.jobId ?? d.correlationId,
      since: Date.now(),
    });
  }
  // One MULTI block: the articles to compose are marked due, then every article is stored.
  const stored = await ctx.articles.putMany(
    linked.map((article) => ({
      article,
      prev: known.get(article.id) ?? null,
      heldBack: heldBack.get(article),
      sourceId: d.sourceId ?? opts.attributeTo,
    })),
    (multi) => dueList.markIn(multi, [...due.values()]),
  );
  failpoint('ingest:after-store');
  const counts = { new: 0, corrected: 0, unchanged: 0 };
  const verdicts: Array<{ id: string; url: string; title: string; verdict: string }> = [];
  linked.forEach((article, i) => {
    const { verdict } = stored[i]!;
    verdicts.push({ id: article.id, url: article.url, title: article.title, verdict });
    counts[verdict === 'new' ? 'new' : verdict === 'corrected' ? 'corrected' : 'unchanged'] += 1;
  });
  await enqueueComposeMany(
    ctx,
    [...due.values()].map((mark) => ({ data: mark.data, opts: { jobId: mark.jobId } })),
  );
  linked.forEach((article, i) => {
    if (!due.has(article.id)) return;
    const { title, url } = article;
    ctx.logger.info(
      { articleId: article.id, title, url, verdict: stored[i]!.verdict, correlationId: d.correlationId },
      'article ingested',
    );
  });
  await dueList.done([...due.keys()]);
  return { ...counts, verdicts };
}

/** The stored versions of these articles and their compose-due marks left by an interrupted run (one round trip). */
async function knownAndLeftOver(ctx: AppContext, dueList: ComposeDueList, ids: string[]) {
  if (ids.length === 0)
    return { known: new Map<string, StoredArticle>(), leftOver: new Map<string, ComposeDue>() };
  const pipeline = ctx.state.pipeline();
  ctx.articles.queueGetMany(pipeline, ids);
  dueList.queueGet(pipeline, ids);
  const [[e1, articles], [e2, marks]] = (await pipeline.exec()) as Array<[Error | null, unknown]> as [
    [Error | null, unknown],
    [Error | null, unknown],
  ];
  if (e1 || e2) throw e1 ?? e2;
  return {
    known: ctx.articles.parseMany(ids, articles as Array<Buffer | null>),
    leftOver: dueList.parse(ids, marks as Array<string | null>),
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
