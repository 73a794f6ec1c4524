import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../../context.js';
import { approvePost, rejectPost } from '../../control/approval.js';
import { checkEdit, EDITABLE, editableText, editPost, editRules, PostTextError } from '../../control/edit.js';
import {
  cancelPost,
  holdPost,
  OperationError,
  pauseAccounts,
  refFromId,
  releasePost,
  reschedulePost,
  resumeAccounts,
  retryPost,
} from '../../control/posts.js';
import { collectQueue, siteZone, zoneOf } from '../../control/queue.js';
import { retractPost } from '../../control/retract.js';
import type { LedgerEntry } from '../../ledger/ledger.js';
import { publishJobId } from '../../queue/names.js';
import { articleIdOf, collectArticleStatus } from '../../status/article.js';
import { collectStatus } from '../../status/status.js';
import { checkPostText } from '../../summaries/validate.js';
import { type ConsoleLocals, sessionOf } from './index.js';
import { safeNext, sendPage } from './render.js';
import type { Flash } from './session.js';
import { addDays, dayInZone, instantFromLocal } from './time.js';
import { ErrorPage } from './views/layout.js';
import {
  AccountsPage,
  ArticlePage,
  ArticlesPage,
  HistoryPage,
  type RecentArticle,
  type SentPost,
} from './views/pages.js';
import { PostPage, type PostPageProps } from './views/post.js';
import { previewOf } from './views/previews.js';
import { QueuePage, WeekPage } from './views/queue.js';

export interface RouteHelpers {
  flash(res: Response, flash: Flash): Promise<void>;
}

/** What every page needs from the session. */
const chrome = (res: Response) => {
  const { session, flash }: ConsoleLocals = sessionOf(res);
  return { user: session.user, csrf: session.csrf, flash };
};

/** Back to the page the action was made from (same site only), else `fallback`. */
function back(req: Request, fallback: string): string {
  const referer = req.get('referer');
  if (!referer) return fallback;
  try {
    const u = new URL(referer);
    if (u.host !== req.get('host')) return fallback;
    const path = safeNext(`${u.pathname}${u.search}`);
    return path.startsWith('/login') ? fallback : path;
  } catch {
    return fallback;
  }
}

const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;

/** The console's pages and actions; every request here has a session, every change a valid CSRF token. */
export function consoleRoutes(ctx: AppContext, helpers: RouteHelpers): Router {
  const r = express.Router();

  r.get('/', async (_req, res) => {
    sendPage(res, 200, <QueuePage {...chrome(res)} accounts={await collectQueue(ctx)} />);
  });

  r.get('/calendar', async (req, res) => {
    const zone = siteZone(ctx);
    const today = dayInZone(new Date(), zone);
    const from =
      typeof req.query.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.from)
        ? req.query.from
        : today;
    const accounts = await collectQueue(ctx);
    const items = accounts.flatMap((a) => a.items);
    const takenSlots = new Set(
      items.filter((i) => i.state === 'slot' && i.at).map((i) => `${i.account}@${i.at}`),
    );
    const end = addDays(from, 7);
    const freeSlots = accounts.flatMap((a) =>
      (a.slots ?? [])
        .filter((s) => !s.quiet && !takenSlots.has(`${a.account}@${s.at}`))
        .filter((s) => {
          const day = dayInZone(new Date(s.at), zone);
          return day >= from && day < end;
        })
        .map((s) => ({ account: a.account, platform: a.platform, at: s.at })),
    );
    sendPage(
      res,
      200,
      <WeekPage {...chrome(res)} zone={zone} from={from} today={today} items={items} freeSlots={freeSlots} />,
    );
  });

  const loadPost = async (id: string): Promise<LedgerEntry | null> => {
    try {
      return await ctx.ledger.get(refFromId(ctx, id));
    } catch {
      return null;
    }
  };

  const renderPost = async (res: Response, id: string, status: number, edit?: { text: string }) => {
    const entry = await loadPost(id);
    if (!entry)
      return sendPage(
        res,
        404,
        <ErrorPage
          {...chrome(res)}
          status={404}
          message={`No post ${id}: it was never composed, or its record expired.`}
        />,
      );
    const item = (await collectQueue(ctx)).flatMap((a) => a.items).find((i) => i.id === id);
    const title = (await ctx.articles.get(entry.articleId))?.article.title ?? '';
    // The account's rules, as publishing holds the post to them (a federated instance's own limit).
    const rules = await editRules(ctx, entry);
    const props: PostPageProps = {
      ...chrome(res),
      id,
      entry,
      title,
      siteName: ctx.config.site.name,
      item,
      zone: zoneOf(ctx, entry.account),
      check: checkPostText(entry.post, entry.post.text, rules),
      Preview: (await previewOf(entry.platform)).Preview,
      account: ctx.config.accounts.find((a) => a.id === entry.account && a.platform === entry.platform),
      editable: EDITABLE.includes(entry.state),
      editText: edit?.text ?? editableText(entry),
      editCheck: edit ? checkEdit(entry, edit.text, rules) : undefined,
    };
    sendPage(res, status, <PostPage {...props} />);
  };

  r.get('/posts/:id', async (req, res) => {
    await renderPost(res, String(req.params.id), 200);
  });

  /** Live count while typing: the same validator as saving and publishing. */
  r.post('/posts/:id/measure', async (req, res) => {
    const entry = await loadPost(String(req.params.id));
    if (!entry) return void res.status(404).json({ error: 'no such post' });
    const text = typeof req.body?.text === 'string' ? req.body.text : '';
    const check = checkEdit(entry, text, await editRules(ctx, entry));
    res.set('Cache-Control', 'no-store').json({
      ok: check.ok,
      count: check.count,
      problems: check.problems,
      summary: check.ok ? check.count : `${check.count}: ${check.problems.join('; ')}`,
    });
  });

  r.post('/posts/:id/edit', async (req, res) => {
    const id = String(req.params.id);
    const text = typeof req.body?.text === 'string' ? req.body.text : '';
    try {
      const { entry: e, check } = await editPost(ctx, id, text);
      ctx.logger.info(
        { event: 'edited', jobId: id, articleId: e.articleId, account: e.account, via: 'console' },
        'post edited by the operator',
      );
      await helpers.flash(res, { kind: 'ok', text: `Saved: ${check.count}.` });
      res.redirect(303, postPath(id));
    } catch (err) {
      if (err instanceof PostTextError) return renderPost(res, id, 422, { text });
      if (err instanceof OperationError) {
        await helpers.flash(res, { kind: 'error', text: err.message });
        return void res.redirect(303, postPath(id));
      }
      throw err;
    }
  });

  const atOf = (req: Request, id: string, required: boolean): string | undefined => {
    const raw = typeof req.body?.at === 'string' ? req.body.at.trim() : '';
    if (!raw) {
      if (required) throw new OperationError('give the time it should go out');
      return undefined;
    }
    let account = '';
    try {
      account = refFromId(ctx, id).account;
    } catch {
      // refFromId fails again, with its own message, in the command itself
    }
    const at = instantFromLocal(raw, zoneOf(ctx, account));
    if (!at) throw new OperationError(`"${raw}" is not a date and time`);
    return at.toISOString();
  };

  /** One operator command per route: the same functions the CLI calls (src/control), then back with a message. */
  const postAction = (
    name: string,
    run: (id: string, req: Request) => Promise<unknown>,
    done: (id: string) => string,
  ) => {
    r.post(`/posts/:id/${name}`, async (req, res) => {
      const id = String(req.params.id);
      try {
        await run(id, req);
        ctx.logger.info(
          { event: name, jobId: id, via: 'console' },
          `post ${name}: operator command from the console`,
        );
        await helpers.flash(res, { kind: 'ok', text: done(id) });
      } catch (err) {
        if (!(err instanceof OperationError)) throw err;
        await helpers.flash(res, { kind: 'error', text: err.message });
      }
      res.redirect(303, back(req, postPath(id)));
    });
  };
  postAction(
    'approve',
    (id) => approvePost(ctx, id),
    (id) => `Approved ${id}: it is on its way.`,
  );
  postAction(
    'reject',
    (id) => rejectPost(ctx, id),
    (id) => `Rejected ${id}: it will not be sent.`,
  );
  postAction(
    'hold',
    (id) => holdPost(ctx, id),
    (id) => `Held ${id}: it stays unsent until released.`,
  );
  postAction(
    'release',
    (id, req) => releasePost(ctx, id, atOf(req, id, false)),
    (id) => `Released ${id}.`,
  );
  postAction(
    'reschedule',
    async (id, req) => reschedulePost(ctx, id, atOf(req, id, true)!),
    (id) => `Rescheduled ${id}.`,
  );
  postAction(
    'cancel',
    (id) => cancelPost(ctx, id),
    (id) => `Cancelled ${id}: it will not be sent.`,
  );
  postAction(
    'retry',
    (id) => retryPost(ctx, id),
    (id) => `Retrying ${id}.`,
  );
  postAction(
    'retract',
    (id) => retractPost(ctx, id),
    (id) => `Retracted ${id}: deleted on the platform; it is never posted again.`,
  );

  const accountAction = (name: 'pause' | 'resume', run: typeof pauseAccounts) => {
    r.post(`/accounts/:target/${name}`, async (req, res) => {
      const target = String(req.params.target);
      try {
        const ids = await run(ctx, target);
        ctx.logger.info({ accounts: ids, via: 'console' }, `accounts ${name}d`);
        await helpers.flash(res, {
          kind: 'ok',
          text:
            name === 'pause' ? `Paused ${ids.join(', ')}: their posts wait.` : `Resumed ${ids.join(', ')}.`,
        });
      } catch (err) {
        if (!(err instanceof OperationError)) throw err;
        await helpers.flash(res, { kind: 'error', text: err.message });
      }
      res.redirect(303, back(req, '/accounts'));
    });
  };
  accountAction('pause', pauseAccounts);
  accountAction('resume', resumeAccounts);

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

  const articlesPage = async (
    res: Response,
    status: number,
    extra: { query?: string; error?: string } = {},
  ) => {
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
  };
  r.get('/articles', (_req, res) => articlesPage(res, 200));
  r.get('/articles/find', async (req, res) => {
    const ref = typeof req.query.ref === 'string' ? req.query.ref.trim() : '';
    try {
      return void res.redirect(303, `/articles/${encodeURIComponent(articleIdOf(ref))}`);
    } catch (err) {
      if (!(err instanceof OperationError)) throw err;
      await articlesPage(res, 400, { query: ref, error: err.message });
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
      await articlesPage(res, 400, { query: String(req.params.ref), error: err.message });
    }
  });

  r.get('/accounts', async (_req, res) => {
    const { accounts } = await collectStatus(ctx, { limit: 1 });
    sendPage(res, 200, <AccountsPage {...chrome(res)} accounts={accounts} zone={siteZone(ctx)} />);
  });

  return r;
}
