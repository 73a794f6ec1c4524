import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../../context.js';
import { collectQueue, siteZone } from '../../../control/queue.js';
import { sendPage } from '../render.js';
import { addDays, dayInZone } from '../time.js';
import { QueuePage, WeekPage } from '../views/queue.js';
import { chrome } from './common.js';

/** `/`: what waits to go out, account by account. `/calendar`: a week of it, with the free posting slots. */
export function queueRoutes(r: Router, ctx: AppContext): void {
  r.get('/', async (_req, res) => {
    sendPage(res, 200, <QueuePage {...chrome(res)} accounts={await collectQueue(ctx)} />);
  });
  r.get('/calendar', (req, res) => weekPage(ctx, req, res));
}

async function weekPage(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const zone = siteZone(ctx);
  const today = dayInZone(new Date(), zone);
  const from =
    typeof req.query.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.from) ? req.query.from : today;
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
}
