import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../../context.js';
import { approvePost, rejectPost } from '../../../control/approval.js';
import {
  checkEdit,
  EDITABLE,
  editableText,
  editPost,
  editRules,
  PostTextError,
} from '../../../control/edit.js';
import {
  cancelPost,
  holdPost,
  OperationError,
  refFromId,
  releasePost,
  reschedulePost,
  retryPost,
} from '../../../control/posts.js';
import { collectQueue, zoneOf } from '../../../control/queue.js';
import { retractPost } from '../../../control/retract.js';
import type { LedgerEntry } from '../../../ledger/ledger.js';
import { checkPostText } from '../../../summaries/validate.js';
import { sendPage } from '../render.js';
import { instantFromLocal } from '../time.js';
import { postPath } from '../views/common.js';
import { ErrorPage } from '../views/layout.js';
import { PostPage, type PostPageProps } from '../views/post.js';
import { previewOf } from '../views/previews.js';
import { back, chrome, type RouteHelpers } from './common.js';

/** `/posts/:id`: one post, its live text check and editor, and the operator commands on it. */
export function postRoutes(r: Router, ctx: AppContext, helpers: RouteHelpers): void {
  r.get('/posts/:id', async (req, res) => {
    await renderPost(ctx, res, String(req.params.id), 200);
  });
  /** Live count while typing: the same validator as saving and publishing. */
  r.post('/posts/:id/measure', (req, res) => measurePost(ctx, req, res));
  r.post('/posts/:id/edit', (req, res) => savePostEdit(ctx, helpers, req, res));
  postActionRoutes(r, ctx, helpers);
}

async function loadPost(ctx: AppContext, id: string): Promise<LedgerEntry | null> {
  try {
    return await ctx.ledger.get(refFromId(ctx, id));
  } catch {
    return null;
  }
}

async function renderPost(
  ctx: AppContext,
  res: Response,
  id: string,
  status: number,
  edit?: { text: string },
): Promise<void> {
  const entry = await loadPost(ctx, id);
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
}

const bodyText = (req: Request): string => (typeof req.body?.text === 'string' ? req.body.text : '');

async function measurePost(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const entry = await loadPost(ctx, String(req.params.id));
  if (!entry) return void res.status(404).json({ error: 'no such post' });
  const check = checkEdit(entry, bodyText(req), await editRules(ctx, entry));
  res.set('Cache-Control', 'no-store').json({
    ok: check.ok,
    count: check.count,
    problems: check.problems,
    summary: check.ok ? check.count : `${check.count}: ${check.problems.join('; ')}`,
  });
}

async function savePostEdit(
  ctx: AppContext,
  helpers: RouteHelpers,
  req: Request,
  res: Response,
): Promise<void> {
  const id = String(req.params.id);
  const text = bodyText(req);
  try {
    const { entry: e, check } = await editPost(ctx, id, text);
    ctx.logger.info(
      { event: 'edited', jobId: id, articleId: e.articleId, account: e.account, via: 'console' },
      'post edited by the operator',
    );
    await helpers.flash(res, { kind: 'ok', text: `Saved: ${check.count}.` });
    res.redirect(303, postPath(id));
  } catch (err) {
    if (err instanceof PostTextError) return renderPost(ctx, res, id, 422, { text });
    if (err instanceof OperationError) {
      await helpers.flash(res, { kind: 'error', text: err.message });
      return void res.redirect(303, postPath(id));
    }
    throw err;
  }
}

/** The form's "at" field, a local time of the post's account, as an instant (required or optional). */
function atOf(ctx: AppContext, req: Request, id: string, required: boolean): string | undefined {
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
}

/** An operator command on one post: the same function the CLI calls (src/control), and the message after it. */
interface PostAction {
  name: string;
  run(ctx: AppContext, id: string, req: Request): Promise<unknown>;
  done(id: string): string;
}

const POST_ACTIONS: PostAction[] = [
  {
    name: 'approve',
    run: (ctx, id) => approvePost(ctx, id),
    done: (id) => `Approved ${id}: it is on its way.`,
  },
  {
    name: 'reject',
    run: (ctx, id) => rejectPost(ctx, id),
    done: (id) => `Rejected ${id}: it will not be sent.`,
  },
  {
    name: 'hold',
    run: (ctx, id) => holdPost(ctx, id),
    done: (id) => `Held ${id}: it stays unsent until released.`,
  },
  {
    name: 'release',
    run: (ctx, id, req) => releasePost(ctx, id, atOf(ctx, req, id, false)),
    done: (id) => `Released ${id}.`,
  },
  {
    name: 'reschedule',
    run: async (ctx, id, req) => reschedulePost(ctx, id, atOf(ctx, req, id, true)!),
    done: (id) => `Rescheduled ${id}.`,
  },
  {
    name: 'cancel',
    run: (ctx, id) => cancelPost(ctx, id),
    done: (id) => `Cancelled ${id}: it will not be sent.`,
  },
  { name: 'retry', run: (ctx, id) => retryPost(ctx, id), done: (id) => `Retrying ${id}.` },
  {
    name: 'retract',
    run: (ctx, id) => retractPost(ctx, id),
    done: (id) => `Retracted ${id}: deleted on the platform; it is never posted again.`,
  },
];

/** One route per operator command, then back where it was made from, with a message. */
function postActionRoutes(r: Router, ctx: AppContext, helpers: RouteHelpers): void {
  for (const { name, run, done } of POST_ACTIONS)
    r.post(`/posts/:id/${name}`, async (req, res) => {
      const id = String(req.params.id);
      try {
        await run(ctx, id, req);
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
}
