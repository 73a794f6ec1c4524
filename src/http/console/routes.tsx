import express, { type Router } from 'express';
import type { AppContext } from '../../context.js';
import { accountRoutes } from './routes/accounts.js';
import { articleRoutes } from './routes/articles.js';
import type { RouteHelpers } from './routes/common.js';
import { postRoutes } from './routes/posts.js';
import { queueRoutes } from './routes/queue.js';

export type { RouteHelpers } from './routes/common.js';

/** The console's pages and actions; every request here has a session, every change a valid CSRF token. */
export function consoleRoutes(ctx: AppContext, helpers: RouteHelpers): Router {
  const r = express.Router();
  queueRoutes(r, ctx);
  postRoutes(r, ctx, helpers);
  accountRoutes(r, ctx, helpers);
  articleRoutes(r, ctx);
  return r;
}
