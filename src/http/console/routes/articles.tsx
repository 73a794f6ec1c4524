import type { Response, Router } from 'express';
import type { AppContext } from '../../../context.js';
import { OperationError } from '../../../control/posts.js';
import { siteZone } from '../../../control/queue.js';
import { publishJobId } from '../../../queue/names.js';
import { articleIdOf, collectArticleStatus } from '../../../status/article.js';
import { sendPage } from '../render.js';
import { ArticlePage, ArticlesPage, HistoryPage, type RecentArticle, type SentPost } from '../views/pages.js';
import { chrome } from './common.js';

/** `/history`: what was sent. `/articles`: recent articles, finding one, and one article's posts. */
export function articleRoutes(r: Router, ctx: AppContext): void {
  r.get('/history', async (_req, res) => {
    const entries = (await ctx.ledger.recent(200)).filter(
      (e) => e.state === 'posted' || e.state === 'retracted',
    );
    const posts: SentPost[] = [];
    for (const entry of entries)
      posts.push({
        id: publishJobId(entry.articleId, entry.account),
        entry,
        title: (await ctx.articles.get(entry.articleId))?.article.title ?? '',
      });
    sendPage(res, 200, <HistoryPage {...chrome(res)} posts={posts} zone={siteZone(ctx)} />);
  });

  r.get('/articles', (_req, res) => articlesPage(ctx, res, 200));
  r.get('/articles/find', async (req, res) => {
    const ref = typeof req.query.ref === 'string' ? req.query.ref.trim() : '';
    try {
      return void res.redirect(303, `/articles/${encodeURIComponent(articleIdOf(ref))}`);
    } catch (err) {
      if (!(err instanceof OperationError)) throw err;
      await articlesPage(ctx, res, 400, { query: ref, error: err.message });
    }
  });
  r.get('/articles/:ref', async (req, res) => {
    try {
      const status = await collectArticleStatus(ctx, String(req.params.ref));
      sendPage(
        res,
        status.known || status.posts.some((p) => p.state !== 'none') ? 200 : 404,
        <ArticlePage {...chrome(res)} status={status} zone={siteZone(ctx)} />,
      );
    } catch (err) {
      if (!(err instanceof OperationError)) throw err;
      await articlesPage(ctx, res, 400, { query: String(req.params.ref), error: err.message });
    }
  });
}

/** The recent articles with each account's state of their post (the last 200 ledger entries, 50 articles). */
async function articlesPage(
  ctx: AppContext,
  res: Response,
  status: number,
  extra: { query?: string; error?: string } = {},
): Promise<void> {
  const recent = new Map<string, RecentArticle>();
  for (const e of await ctx.ledger.recent(200)) {
    let a = recent.get(e.articleId);
    if (!a) {
      const stored = await ctx.articles.get(e.articleId);
      a = {
        articleId: e.articleId,
        title: stored?.article.title ?? '',
        url: stored?.article.url,
        states: [],
      };
      recent.set(e.articleId, a);
    }
    if (!a.states.some((s) => s.account === e.account))
      a.states.push({ account: e.account, state: e.heldAt ? 'held' : e.state });
  }
  sendPage(
    res,
    status,
    <ArticlesPage {...chrome(res)} articles={[...recent.values()].slice(0, 50)} {...extra} />,
  );
}
