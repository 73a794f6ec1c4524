import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import { ADMIN_PASSWORD_VAR, ADMIN_USER_VAR, adminCredentials, requireBasicAuth } from './basic-auth.js';

export const DASHBOARD_PATH = '/admin/queues';

export const DASHBOARD_DISABLED =
  `The queue dashboard is disabled: set ${ADMIN_USER_VAR} and ${ADMIN_PASSWORD_VAR} ` +
  'in the environment to enable it (it is never served without a password).\n';

/**
 * Mounts Bull Board for `queues` at DASHBOARD_PATH behind HTTP basic auth. Without both credentials the
 * path answers 403 with how to enable it: the dashboard can retry, remove and promote jobs, so never open.
 */
export function mountDashboard(
  app: Express,
  queues: Queue[],
  env: Record<string, string | undefined>,
  logger: Logger,
): void {
  const credentials = adminCredentials(env);
  if (!credentials) {
    app.use(DASHBOARD_PATH, (_req, res) => {
      res.status(403).type('text/plain').send(DASHBOARD_DISABLED);
    });
    return;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Crier' } },
  });
  app.use(DASHBOARD_PATH, requireBasicAuth(credentials, logger), serverAdapter.getRouter() as Router);
}
