import type { Router } from 'express';
import type { AppContext } from '../../../context.js';
import { OperationError, pauseAccounts, resumeAccounts } from '../../../control/posts.js';
import { siteZone } from '../../../control/queue.js';
import { collectStatus } from '../../../status/status.js';
import { sendPage } from '../render.js';
import { AccountsPage } from '../views/pages.js';
import { back, chrome, type RouteHelpers } from './common.js';

/** `/accounts`: every account's state, and pausing or resuming an account or a whole platform. */
export function accountRoutes(r: Router, ctx: AppContext, helpers: RouteHelpers): void {
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

  r.get('/accounts', async (_req, res) => {
    const { accounts } = await collectStatus(ctx, { limit: 1 });
    sendPage(res, 200, <AccountsPage {...chrome(res)} accounts={accounts} zone={siteZone(ctx)} />);
  });
}
