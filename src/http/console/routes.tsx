import express, { type Response, type Router } from 'express';
import type { AppContext } from '../../context.js';
import { sessionOf } from './index.js';
import { sendPage } from './render.js';
import type { Flash } from './session.js';
import { Layout } from './views/layout.js';

export interface RouteHelpers {
  flash(res: Response, flash: Flash): Promise<void>;
}

/** The console's pages and actions; every request here has a session, every change a valid CSRF token. */
export function consoleRoutes(_ctx: AppContext, _helpers: RouteHelpers): Router {
  const r = express.Router();
  r.get('/', (_req, res) => {
    const { session, flash } = sessionOf(res);
    sendPage(
      res,
      200,
      <Layout title="Queue" user={session.user} csrf={session.csrf} flash={flash} section="/">
        <h1>Queue</h1>
      </Layout>,
    );
  });
  return r;
}
